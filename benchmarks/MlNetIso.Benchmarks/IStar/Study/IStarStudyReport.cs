using System.Globalization;
using ScottPlot;

namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>
/// Turns a study results file into the markdown tables of a study run log (docs/runs/, e.g. 2026-12-01-istar-minilm-study.md; printed) and its plots (PNG files):
/// accuracy mean ± sd per λ, the paired difference with λ = 0 across seeds (mean, 95 % t interval, sign count),
/// IsoScore / IsoScore* of the regularised points, the sentence embeddings' IsoScore, TwoNN dimensions, run times,
/// and per dataset the Spearman correlations the paper's claim is about.
/// </summary>
internal static class IStarStudyReport
{
    public static int Write(string path, string imageFolder)
    {
        var all = JsonLinesFile.Read(path);
        if (all.Count == 0)
        {
            Console.Error.WriteLine($"{path}: no study records.");
            return 2;
        }
        foreach (var mode in new[] { "fine-tune", "head-only" })
        {
            var runs = all.Where(r => r.Mode == mode).ToList();
            if (runs.Count == 0) continue;
            Console.WriteLine($"### {mode}");
            Console.WriteLine();
            Table(runs, mode == "fine-tune");
            Console.WriteLine();
            Paired(runs);
            Console.WriteLine();
            Correlations(runs);
            Console.WriteLine();
        }
        var pretrained = all.Where(r => r.Mode == "pretrained").ToList();
        if (pretrained.Count > 0)
        {
            Console.WriteLine("### frozen encoder (before fine-tuning), test sentence embeddings");
            Console.WriteLine();
            Console.WriteLine("| dataset | test rows | sentence IsoScore | sentence TwoNN |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var r in pretrained)
                Console.WriteLine(F($"| {r.Dataset} | {r.TestRows:N0} | {r.SentenceIsoScore:F4} | {r.SentenceTwoNN:F2} |"));
            Console.WriteLine();
        }
        Directory.CreateDirectory(imageFolder);
        Plots(all, imageFolder);
        return 0;
    }

    private static void Table(List<IStarStudyRecord> runs, bool fineTune)
    {
        Console.WriteLine(fineTune
            ? "| dataset | λ | seeds | test accuracy (mean ± sd) | train IsoScore* (last epoch) | test IsoScore (token states) | test IsoScore* | sentence IsoScore | TwoNN (token states) | TwoNN (sentences) | fit s/run wall (CPU) |"
            : "| dataset | λ | seeds | test accuracy (mean ± sd) | train IsoScore* (last epoch) | test IsoScore (hidden) | test IsoScore* | TwoNN (hidden) | fit s/run wall (CPU) |");
        Console.WriteLine(fineTune ? "|---|---|---|---|---|---|---|---|---|---|---|" : "|---|---|---|---|---|---|---|---|---|");
        foreach (var cell in runs.GroupBy(r => (r.Dataset, r.Lambda)).OrderBy(g => g.Key.Dataset).ThenBy(g => g.Key.Lambda))
        {
            var c = cell.ToList();
            string common = F($"| {cell.Key.Dataset} | {Lambda(cell.Key.Lambda)} | {c.Count} | {MeanSd(c, r => r.Accuracy)} | {Value(c, r => r.TrainIsoScoreStar)} | ") +
                F($"{MeanSd(c, r => r.TestIsoScore)} | {Value(c, r => r.TestIsoScoreStar)} | ");
            string rest = fineTune
                ? F($"{MeanSd(c, r => r.SentenceIsoScore)} | {MeanSd(c, r => r.PointsTwoNN, "F2")} | ") + F($"{MeanSd(c, r => r.SentenceTwoNN, "F2")} | ")
                : F($"{MeanSd(c, r => r.PointsTwoNN, "F2")} | ");
            Console.WriteLine(common + rest + F($"{Statistics.Mean(c.Select(r => r.FitSeconds)):F0} ({Statistics.Mean(c.Select(r => r.FitCpuSeconds)):F0}) |"));
        }
    }

    private static void Paired(List<IStarStudyRecord> runs)
    {
        Console.WriteLine("| dataset | λ vs 0 | paired seeds | mean Δ accuracy | 95 % t interval | seeds better / worse / tied |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var dataset in runs.Select(r => r.Dataset).Distinct().Order())
        {
            var baseline = runs.Where(r => r.Dataset == dataset && r.Lambda == 0).ToDictionary(r => r.Seed, r => r.Accuracy);
            foreach (var lambda in runs.Where(r => r.Dataset == dataset && r.Lambda != 0).Select(r => r.Lambda).Distinct().Order())
            {
                var pairs = runs.Where(r => r.Dataset == dataset && r.Lambda == lambda && baseline.ContainsKey(r.Seed)).OrderBy(r => r.Seed).ToList();
                var p = PairedDifference.Of(pairs.Select(r => r.Accuracy).ToArray(), pairs.Select(r => baseline[r.Seed]).ToArray());
                Console.WriteLine(F($"| {dataset} | {Lambda(lambda)} | {p.Count} | {Signed(p.Mean, "0.0000")} | [{Signed(p.Low, "0.0000")}, {Signed(p.High, "0.0000")}] | {p.Positive} / {p.Negative} / {p.Ties} |"));
            }
        }
    }

    /// <summary>Spearman ρ over every run of a dataset: the claim is that lower isotropy goes with lower ID and higher accuracy.</summary>
    private static void Correlations(List<IStarStudyRecord> runs)
    {
        Console.WriteLine("| dataset | runs | ρ(IsoScore, TwoNN) points | ρ(IsoScore, accuracy) | ρ(TwoNN, accuracy) | ρ(sentence IsoScore, sentence TwoNN) | ρ(sentence IsoScore, accuracy) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => r.Dataset).OrderBy(g => g.Key))
        {
            var g = group.ToList();
            double[] Of(Func<IStarStudyRecord, double> f) => g.Select(f).ToArray();
            string Rho(Func<IStarStudyRecord, double> x, Func<IStarStudyRecord, double> y) => Signed(Statistics.Spearman(Of(x), Of(y)), "0.00");
            Console.WriteLine($"| {group.Key} | {g.Count} | {Rho(r => r.TestIsoScore, r => r.PointsTwoNN)} | {Rho(r => r.TestIsoScore, r => r.Accuracy)} | " +
                $"{Rho(r => r.PointsTwoNN, r => r.Accuracy)} | {Rho(r => r.SentenceIsoScore, r => r.SentenceTwoNN)} | {Rho(r => r.SentenceIsoScore, r => r.Accuracy)} |");
        }
    }

    /// <summary>One PNG per measure: the per-seed values against λ with the mean joined, one colour per dataset and mode.</summary>
    private static void Plots(List<IStarStudyRecord> all, string folder)
    {
        var measures = new (string File, string Label, Func<IStarStudyRecord, double> Value)[]
        {
            ("istar-study-accuracy.png", "test accuracy", r => r.Accuracy),
            ("istar-study-isoscore.png", "test IsoScore (regularised points)", r => r.TestIsoScore),
            ("istar-study-twonn.png", "TwoNN dimension (regularised points)", r => r.PointsTwoNN),
        };
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (file, label, value) in measures)
        {
            var plot = new Plot();
            int colour = 0;
            foreach (var series in all.Where(r => r.Mode != "pretrained").GroupBy(r => (r.Mode, r.Dataset)).OrderBy(g => g.Key.Mode).ThenBy(g => g.Key.Dataset))
            {
                var color = palette.GetColor(colour++);
                var runs = series.ToList();
                var dots = plot.Add.ScatterPoints(runs.Select(r => r.Lambda).ToArray(), runs.Select(value).ToArray());
                dots.Color = color.WithAlpha(0.5);
                dots.MarkerSize = 6;
                var means = runs.GroupBy(r => r.Lambda).OrderBy(g => g.Key).ToList();
                var line = plot.Add.ScatterLine(means.Select(g => g.Key).ToArray(), means.Select(g => g.Select(value).Average()).ToArray());
                line.Color = color;
                line.LineWidth = 2;
                line.LegendText = $"{series.Key.Mode}, {series.Key.Dataset}";
            }
            plot.ShowLegend();
            plot.Title($"I-STAR, all-MiniLM-L6-v2: {label} against λ");
            plot.XLabel("λ (negative: less isotropic); dots: seeds, line: mean");
            plot.YLabel(label);
            var target = Path.Combine(folder, file);
            var temp = Path.Combine(folder, "." + file + ".tmp.png");
            plot.SavePng(temp, 900, 520);
            File.Move(temp, target, overwrite: true);
            Console.WriteLine($"wrote {target}");
        }
    }

    private static string MeanSd(List<IStarStudyRecord> c, Func<IStarStudyRecord, double> f, string format = "F4")
    {
        var v = c.Select(f).Where(double.IsFinite).ToArray();
        if (v.Length == 0) return "—";
        string mean = Statistics.Mean(v).ToString(format, CultureInfo.InvariantCulture);
        return v.Length < 2 ? mean : $"{mean} ± {Statistics.Sd(v).ToString(format, CultureInfo.InvariantCulture)}";
    }

    private static string Value(List<IStarStudyRecord> c, Func<IStarStudyRecord, double> f)
    {
        var v = c.Select(f).Where(double.IsFinite).ToArray();
        return v.Length == 0 ? "—" : Statistics.Mean(v).ToString("F4", CultureInfo.InvariantCulture);
    }

    /// <summary>A signed number (+x / −x / 0), or "—" where it is undefined (too few runs, a constant or missing series).</summary>
    private static string Signed(double value, string digits) =>
        double.IsFinite(value) ? value.ToString($"+{digits};−{digits};{digits}", CultureInfo.InvariantCulture) : "—";

    private static string Lambda(double lambda) => lambda.ToString("+0.##;−0.##;0", CultureInfo.InvariantCulture);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
