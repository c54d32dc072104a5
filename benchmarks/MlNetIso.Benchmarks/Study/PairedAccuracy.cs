namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Accuracy of two classifiers on the same test examples (τ = 1 and the chosen τ*) and their paired difference,
/// each with a percentile-bootstrap interval over the examples (one resample serves all three, so the difference
/// interval is paired).
/// </summary>
/// <param name="Count">Number of test examples.</param>
/// <param name="AtOne">Accuracy at τ = 1.</param>
/// <param name="AtChoice">Accuracy at τ*.</param>
/// <param name="Difference">Accuracy at τ* minus accuracy at τ = 1.</param>
internal sealed record PairedAccuracy(int Count, BootstrapInterval AtOne, BootstrapInterval AtChoice, BootstrapInterval Difference)
{
    /// <summary>Compares per-example correctness at τ = 1 and at τ*.</summary>
    public static PairedAccuracy Compare(IReadOnlyList<bool> correctAtOne, IReadOnlyList<bool> correctAtChoice, int replicates, int seed)
    {
        if (correctAtOne.Count != correctAtChoice.Count) throw new ArgumentException("Both prediction sets must cover the same examples.");
        var a = correctAtOne.Select(c => c ? 1.0 : 0.0).ToArray();
        var b = correctAtChoice.Select(c => c ? 1.0 : 0.0).ToArray();
        var intervals = Bootstrap.Intervals([Enumerable.Range(0, a.Length).ToArray()], a.Length, replicates, seed, w =>
        {
            var one = Bootstrap.WeightedMean(a, w);
            var choice = Bootstrap.WeightedMean(b, w);
            return [one, choice, choice - one];
        });
        return new PairedAccuracy(a.Length, intervals[0], intervals[1], intervals[2]);
    }
}
