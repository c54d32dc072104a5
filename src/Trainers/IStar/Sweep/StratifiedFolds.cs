namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>
/// Stratified k-fold assignment: each label's rows are shuffled with the seed and dealt to the folds in turn, the deal
/// continuing from label to label, so every fold keeps the label proportions (±1 row per label) and the fold sizes
/// differ by at most one.
/// </summary>
internal static class StratifiedFolds
{
    /// <summary>The fold (0..k−1) of every row, given each row's class index.</summary>
    /// <exception cref="ArgumentException">k &lt; 2 or more folds than rows.</exception>
    public static int[] Assign(int[] labels, int folds, int seed)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        if (folds > labels.Length)
            throw new ArgumentException($"Cannot split {labels.Length} rows into {folds} folds.", nameof(folds));
        var random = new Random(seed);
        var fold = new int[labels.Length];
        int next = 0;
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            foreach (int row in rows)
            {
                fold[row] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }
}
