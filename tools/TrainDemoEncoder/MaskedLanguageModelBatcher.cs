namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>
/// BERT's masking rule: each non-special token is chosen with probability 15%; a chosen token is replaced by
/// [MASK] with probability 80%, by a uniformly random non-special token with 10%, and kept with 10%. The loss is
/// computed on chosen positions only. At least one position per batch is chosen. Randomness comes from the given
/// <see cref="Random"/>, so batches are reproducible from the seed.
/// </summary>
internal static class MaskedLanguageModelBatcher
{
    public const double MaskProbability = 0.15;

    /// <summary>
    /// Masks <paramref name="inputIds"/> [batch·length] in place; returns the flat positions chosen and their
    /// original ids. <paramref name="firstRegularId"/> is the first id after the special tokens.
    /// </summary>
    public static (long[] Positions, long[] Targets) Mask(long[] inputIds, long[] attentionMask, int maskId,
                                                        int firstRegularId, int vocabSize, ISet<long> specialIds, Random random)
    {
        var positions = new List<long>();
        var targets = new List<long>();
        int firstCandidate = -1;
        for (int i = 0; i < inputIds.Length; i++)
        {
            if (attentionMask[i] == 0 || specialIds.Contains(inputIds[i])) continue;
            if (firstCandidate < 0) firstCandidate = i;
            if (random.NextDouble() >= MaskProbability) continue;
            Choose(i);
        }
        if (positions.Count == 0 && firstCandidate >= 0) Choose(firstCandidate);
        return (positions.ToArray(), targets.ToArray());

        void Choose(int i)
        {
            positions.Add(i);
            targets.Add(inputIds[i]);
            double r = random.NextDouble();
            if (r < 0.8) inputIds[i] = maskId;
            else if (r < 0.9) inputIds[i] = random.Next(firstRegularId, vocabSize);
        }
    }
}
