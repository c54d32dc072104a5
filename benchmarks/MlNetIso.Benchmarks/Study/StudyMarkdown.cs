using System.Globalization;
using System.Text;

namespace MlNetIso.Benchmarks.Study;

/// <summary>Markdown tables of the TempScale study's results.</summary>
internal static class StudyMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>"τ = 0.8".</summary>
    public static string Tau(float t) => string.Create(Inv, $"τ = {t:0.0#}");

    /// <summary>Mean pairwise cosine per bucket and τ (τ = 1 with its interval), plus the all-reviews row and the slope row.</summary>
    public static string CollapseTable(CollapseAnalysis.Result r)
    {
        var sb = new StringBuilder();
        sb.Append("| tokens | reviews | mean input length |");
        foreach (var t in r.Temperatures) sb.Append($" {Tau(t)} |");
        sb.AppendLine().Append("|---|---:|---:|").Append(string.Concat(r.Temperatures.Select(_ => "---:|"))).AppendLine();
        for (var b = 0; b < r.Buckets.Count; b++)
        {
            sb.Append(Inv, $"| {r.Buckets[b].Label} | {r.Buckets[b].Members.Length} | {r.BucketMeanLength[b]:0} |");
            for (var t = 0; t < r.Temperatures.Count; t++)
                sb.Append(' ').Append(Cell(r.BucketCosine[t][b], t == 0)).Append(" |");
            sb.AppendLine();
        }
        sb.Append(Inv, $"| **all** | {r.Buckets.Sum(b => b.Members.Length)} | |");
        for (var t = 0; t < r.Temperatures.Count; t++) sb.Append(' ').Append(Cell(r.AllCosine[t], t == 0)).Append(" |");
        sb.AppendLine();
        sb.Append("| **slope** per 100 tokens | | |");
        for (var t = 0; t < r.Temperatures.Count; t++) sb.Append(' ').Append(r.Slope[t].FormatSigned("0.0000")).Append(" |");
        sb.AppendLine();
        return sb.ToString();
    }

    /// <summary>Paired differences from τ = 1: all reviews, the slope, and how many buckets move down / up significantly.</summary>
    public static string CollapseDifferences(CollapseAnalysis.Result r)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| τ | Δ mean cosine, all reviews | Δ slope per 100 tokens | buckets with CI below 0 / above 0 / total |");
        sb.AppendLine("|---|---:|---:|---:|");
        for (var t = 1; t < r.Temperatures.Count; t++)
        {
            var rows = r.BucketDifference[t].Where(i => i.Replicates > 0).ToList();
            sb.AppendLine(string.Create(Inv,
                $"| {r.Temperatures[t]:0.0#} | {r.AllDifference[t].FormatSigned("0.0000")} | {r.SlopeDifference[t].FormatSigned("0.0000")} | " +
                $"{rows.Count(i => i.BelowZero)} / {rows.Count(i => i.AboveZero)} / {rows.Count} |"));
        }
        return sb.ToString();
    }

    /// <summary>The prefix-length experiment: mean pairwise cosine per prefix length and τ, the rise, and Δ rise vs τ = 1.</summary>
    public static string PrefixTable(PrefixLengthAnalysis.Result r)
    {
        var sb = new StringBuilder();
        sb.Append("| τ |");
        foreach (var l in r.PrefixLengths) sb.Append(Inv, $" first {l} tokens |");
        sb.Append(Inv, $" rise {r.PrefixLengths[0]}→{r.PrefixLengths[^1]} | Δ rise vs τ = 1 |");
        sb.AppendLine().Append("|---|").Append(string.Concat(r.PrefixLengths.Select(_ => "---:|"))).AppendLine("---:|---:|");
        for (var t = 0; t < r.Temperatures.Count; t++)
        {
            sb.Append(Inv, $"| {r.Temperatures[t]:0.0#} |");
            foreach (var c in r.Cosine[t]) sb.Append(' ').Append(c.Format("0.000")).Append(" |");
            sb.Append(' ').Append(r.Rise[t].FormatSigned("0.000")).Append(" |");
            sb.Append(' ').Append(t == 0 ? "–" : r.RiseDifference[t].FormatSigned("0.000")).Append(" |");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>A row of paired accuracies: "0.812 [0.79, 0.83] | 0.815 […] | +0.003 […]".</summary>
    public static string Paired(PairedAccuracy p) =>
        $"{p.AtOne.Format("0.000")} | {p.AtChoice.Format("0.000")} | {p.Difference.FormatSigned("0.000")}";

    private static string Cell(BootstrapInterval i, bool withInterval) =>
        !double.IsFinite(i.Estimate) ? "–" : withInterval ? i.Format("0.000") : i.Estimate.ToString("0.000", Inv);
}
