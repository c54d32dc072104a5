using ScottPlot;

namespace MlNetIso.Cli.Rendering;

/// <summary>The PNG charts of the geometry report and the collapse table (ScottPlot, rendered headless).</summary>
internal static class Charts
{
    private const int Width = 900;
    private const int Height = 520;

    /// <summary>Eigen-spectrum of the covariance: λ_i / Σλ against rank i on a log axis (zeros are clipped).</summary>
    public static void Spectrum(IReadOnlyList<double> eigenvalues, string path, string title)
    {
        var total = eigenvalues.Sum();
        var xs = Enumerable.Range(1, eigenvalues.Count).Select(i => (double)i).ToArray();
        var floor = 1e-12;
        var ys = eigenvalues.Select(l => Math.Log10(Math.Max(total > 0 ? l / total : 0, floor))).ToArray();
        var plot = new Plot();
        var line = plot.Add.ScatterLine(xs, ys);
        line.LineWidth = 2;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = v => $"1e{v:0}",
        };
        plot.Title(title);
        plot.XLabel("rank i");
        plot.YLabel("share of variance λ_i / Σλ");
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Bar chart of the rogue dimensions: each dimension's share of the expected cosine similarity.</summary>
    public static void RogueDimensions(IReadOnlyList<(int Dimension, double Share)> rogue, string path, string title)
    {
        var plot = new Plot();
        var bars = rogue.Select((r, i) => new Bar { Position = i, Value = r.Share, FillColor = Colors.SteelBlue }).ToArray();
        plot.Add.Bars(bars);
        var ticks = rogue.Select((r, i) => new Tick(i, $"d{r.Dimension}")).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel("dimension");
        plot.YLabel("share of average cosine similarity");
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Mean pairwise cosine per token-length bucket, one line per temperature τ.</summary>
    public static void Collapse(IReadOnlyList<string> bucketLabels, IReadOnlyList<(string Series, double?[] Values)> series, string path, string title)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < series.Count; s++)
        {
            var pts = series[s].Values.Select((v, i) => (i, v)).Where(p => p.v.HasValue).ToArray();
            var line = plot.Add.ScatterLine(pts.Select(p => (double)p.i).ToArray(), pts.Select(p => p.v!.Value).ToArray());
            line.LegendText = series[s].Series;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.Color = palette.GetColor(s);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            bucketLabels.Select((l, i) => new Tick(i, l)).ToArray());
        plot.ShowLegend();
        plot.Title(title);
        plot.XLabel("token-length bucket (lower bound, tokens)");
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.YLabel("mean pairwise cosine similarity");
        plot.SavePng(path, Width, Height);
    }
}
