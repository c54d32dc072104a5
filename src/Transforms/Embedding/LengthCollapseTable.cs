using System.Globalization;
using System.Text;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Length-collapse diagnostics (Zhou et al., arXiv 2410.24200): for texts bucketed by token length, the mean pairwise
/// cosine similarity AvgCos = (1/(m(m−1))) Σ_{i≠j} cos(eᵢ, eⱼ) of their embeddings, for several attention
/// temperatures τ side by side. Collapse shows as AvgCos rising with length; TempScale (τ &lt; 1) should lower it.
/// Plot-free: the numbers are exposed for tables and charts.
/// </summary>
public sealed class LengthCollapseTable
{
    internal LengthCollapseTable(int bucketWidth, IReadOnlyList<float> temperatures, IReadOnlyList<LengthCollapseBucket> buckets)
    {
        BucketWidth = bucketWidth;
        Temperatures = temperatures;
        Buckets = buckets;
    }

    /// <summary>Width of every bucket, in tokens.</summary>
    public int BucketWidth { get; }

    /// <summary>The temperatures τ, in the order of <see cref="LengthCollapseBucket.MeanCosine"/>.</summary>
    public IReadOnlyList<float> Temperatures { get; }

    /// <summary>Non-empty buckets in increasing token length.</summary>
    public IReadOnlyList<LengthCollapseBucket> Buckets { get; }

    /// <summary>The mean cosine series of one temperature (one value per bucket), e.g. for a plot.</summary>
    public IReadOnlyList<double> Series(float temperature)
    {
        var index = IndexOf(temperature);
        return Buckets.Select(b => b.MeanCosine[index]).ToList();
    }

    private int IndexOf(float temperature)
    {
        for (var i = 0; i < Temperatures.Count; i++)
            if (Temperatures[i] == temperature) return i;
        throw new ArgumentOutOfRangeException(nameof(temperature), temperature,
            $"τ = {temperature} is not in this table (it has {string.Join(", ", Temperatures)}).");
    }

    /// <summary>A Markdown table: one row per bucket, one column per temperature (4 decimals; "–" for NaN).</summary>
    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("| tokens | texts |");
        foreach (var t in Temperatures) sb.Append(inv, $" τ = {t:0.###} |");
        sb.AppendLine();
        sb.Append("|---|---:|");
        foreach (var _ in Temperatures) sb.Append("---:|");
        sb.AppendLine();
        foreach (var b in Buckets)
        {
            sb.Append(inv, $"| {b.MinTokens}–{b.MaxTokensExclusive - 1} | {b.Count} |");
            foreach (var c in b.MeanCosine) sb.Append(double.IsNaN(c) ? " – |" : string.Create(inv, $" {c:0.0000} |"));
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToMarkdown();
}
