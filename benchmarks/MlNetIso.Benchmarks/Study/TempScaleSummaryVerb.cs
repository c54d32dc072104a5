using System.Globalization;
using System.Text;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// The <c>tempscale-summary</c> verb: gathers the JSON effects written by <c>collapse-study</c> and
/// <c>tempscale-downstream</c> under <c>--out-dir</c> (all encoders) into one Markdown table and one forest plot of the
/// downstream effects (accuracy or NMI at the chosen τ* minus at τ = 1, with 95 % intervals), written to
/// <c>--plot FILE</c> (default <c>--out-dir</c>/tempscale-effects.png).
/// </summary>
internal static class TempScaleSummaryVerb
{
    public static int Run(string[] argv)
    {
        var args = new BenchmarkArguments(argv);
        var outDir = Path.GetFullPath(args.Value("--out-dir") ?? Path.Combine(RepoPaths.Root, "..", "study-results"));
        var effects = StudyEffect.LoadAll(outDir);
        if (effects.Count == 0) throw new FileNotFoundException($"No effects-*.json files under '{outDir}'; run collapse-study and tempscale-downstream first.");
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| encoder | task | measure | τ* | estimate [95 % CI] | n |");
        sb.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var e in effects)
            sb.AppendLine($"| {e.Model} | {e.Task} | {e.Measure} | {(e.ChosenTemperature is { } t ? t.ToString("0.0#", inv) : "per fold")} | " +
                          $"{e.Interval.FormatSigned(e.Measure.Contains("cosine") || e.Measure.Contains("slope") || e.Measure.Contains("rise") ? "0.0000" : "0.000")} | {e.Count} |");
        Console.WriteLine(sb.ToString());
        AtomicFile.WriteAllText(Path.Combine(outDir, "tempscale-effects.md"), sb.ToString());

        var downstream = effects.Where(e => e.Measure.EndsWith("τ* − τ = 1", StringComparison.Ordinal)).ToList();
        if (downstream.Count > 0)
        {
            var plot = args.Value("--plot") ?? Path.Combine(outDir, "tempscale-effects.png");
            StudyCharts.Effects(plot, "TempScale: score at τ* − score at τ = 1 (95 % CI)",
                "Δ accuracy (Δ NMI for AG News k-means)",
                downstream.Select(e => ($"{e.Model}: {e.Task}{(e.ChosenTemperature is { } t ? $" (τ* = {t.ToString("0.0#", inv)})" : "")}", e.Interval)).ToList());
            Console.WriteLine($"Forest plot: {plot}");
        }
        return 0;
    }
}
