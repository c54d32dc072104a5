using ScottPlot;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Benchmarks.Study;

/// <summary>The PNG plots of the TempScale study (ScottPlot, rendered headless, written atomically).</summary>
internal static class StudyCharts
{
    private const int Width = 1000;
    private const int Height = 560;

    /// <summary>One line with a confidence band.</summary>
    /// <param name="Label">Legend text.</param>
    /// <param name="X">x values.</param>
    /// <param name="Intervals">y value and interval at every x.</param>
    /// <param name="Dashed">Draw the line dashed.</param>
    /// <param name="Band">Draw the confidence band.</param>
    /// <param name="ColorIndex">Palette colour (default: the series' position).</param>
    internal sealed record Series(string Label, double[] X, BootstrapInterval[] Intervals, bool Dashed = false, bool Band = true, int? ColorIndex = null);

    /// <summary>Lines with shaded 95 % bands (e.g. mean pairwise cosine against length, one line per τ).</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool logX = false,
        bool integerX = false)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < series.Count; s++)
        {
            var item = series[s];
            var points = item.X.Select((x, i) => (X: logX ? Math.Log2(x) : x, I: item.Intervals[i]))
                .Where(p => double.IsFinite(p.I.Estimate)).ToArray();
            if (points.Length == 0) continue;
            var color = palette.GetColor(item.ColorIndex ?? s);
            if (item.Band && points.All(p => double.IsFinite(p.I.Lower) && double.IsFinite(p.I.Upper)))
            {
                var band = plot.Add.FillY(points.Select(p => p.X).ToArray(), points.Select(p => p.I.Lower).ToArray(),
                    points.Select(p => p.I.Upper).ToArray());
                band.FillColor = color.WithAlpha(0.18);
                band.LineColor = Colors.Transparent;
            }
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.I.Estimate).ToArray());
            line.LegendText = item.Label;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.Color = color;
            if (item.Dashed) line.LinePattern = LinePattern.Dashed;
        }
        if (logX)
        {
            var xs = series.SelectMany(s => s.X).Distinct().Order().ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                xs.Select(x => new Tick(Math.Log2(x), x.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        }
        if (integerX)
        {
            var xs = series.SelectMany(s => s.X).Distinct().Order().ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                xs.Select(x => new Tick(x, x.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        }
        plot.ShowLegend(Edge.Right);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        Save(plot, path);
    }

    /// <summary>A forest plot: one row per effect (estimate and 95 % interval), a vertical line at 0.</summary>
    public static void Effects(string path, string title, string xLabel, IReadOnlyList<(string Label, BootstrapInterval Effect)> rows)
    {
        var plot = new Plot();
        for (var i = 0; i < rows.Count; i++)
        {
            var y = rows.Count - 1 - i;
            var e = rows[i].Effect;
            var whisker = plot.Add.Line(e.Lower, y, e.Upper, y);
            whisker.LineWidth = 2;
            whisker.Color = Colors.SteelBlue;
            var marker = plot.Add.Marker(e.Estimate, y);
            marker.Color = Colors.Black;
            marker.Size = 8;
        }
        var zero = plot.Add.VerticalLine(0);
        zero.Color = Colors.Gray;
        zero.LinePattern = LinePattern.Dotted;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rows.Select((r, i) => new Tick(rows.Count - 1 - i, r.Label)).ToArray());
        plot.Axes.SetLimitsY(-0.7, rows.Count - 0.3);
        plot.Title(title);
        plot.XLabel(xLabel);
        Save(plot, path, width: 1100, height: Math.Max(300, 80 + 34 * rows.Count));
    }

    private static void Save(Plot plot, string path, int width = Width, int height = Height)
    {
        var bytes = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
