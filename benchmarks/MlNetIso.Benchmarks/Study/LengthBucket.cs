namespace MlNetIso.Benchmarks.Study;

/// <summary>Texts whose untruncated token count lies in [<see cref="MinTokens"/>, <see cref="EndTokens"/>) (null end: open bucket).</summary>
/// <param name="MinTokens">Lower bound (inclusive).</param>
/// <param name="EndTokens">Upper bound (exclusive), or null for the last, open bucket.</param>
/// <param name="Members">Indices of the texts in the bucket.</param>
internal sealed record LengthBucket(int MinTokens, int? EndTokens, int[] Members)
{
    /// <summary>"100–199", or "500+" for the open bucket.</summary>
    public string Label => EndTokens is { } end ? $"{MinTokens}–{end - 1}" : $"{MinTokens}+";

    /// <summary>
    /// Buckets of <paramref name="width"/> tokens by <paramref name="lengths"/>; everything from
    /// <paramref name="lastStart"/> up is one open bucket. Empty buckets are left out.
    /// </summary>
    public static IReadOnlyList<LengthBucket> Make(IReadOnlyList<int> lengths, int width, int lastStart)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        return lengths.Select((n, i) => (Start: Math.Min(n / width * width, lastStart), Index: i))
            .GroupBy(x => x.Start, x => x.Index)
            .OrderBy(g => g.Key)
            .Select(g => new LengthBucket(g.Key, g.Key >= lastStart ? null : g.Key + width, g.ToArray()))
            .ToList();
    }
}
