using System.Globalization;
using ScottPlot;

namespace MlNetIso.Cli.Rendering;

/// <summary>
/// The PNG charts of the geometry and collapse reports (ScottPlot, rendered headless): a sans-serif font to match the
/// HTML page, Unicode sub- and superscripts instead of TeX-like <c>λ_i</c>, shares on percentage axes (as in the
/// tables), and a covariance spectrum whose numerical-zero tail is marked on a floor line instead of stretching the
/// log axis.
/// </summary>
internal static class Charts
{
    private const int Width = 900;
    private const int Height = 520;

    /// <summary>
    /// Eigenvalues below this fraction of the largest are numerically zero: float32 data cannot resolve them
    /// (the relative rounding error of a float32 value, 2⁻²³).
    /// </summary>
    public const double NumericalZero = 1.1920929e-7;

    /// <summary>
    /// The covariance spectrum λᵢ / Σλ against rank i on a log axis, one line per source. Eigenvalues below
    /// <see cref="NumericalZero"/>·λ₁ are drawn as grey markers on a floor line and counted in the legend.
    /// </summary>
    public static void Spectrum(IReadOnlyList<(string Label, IReadOnlyList<double> Eigenvalues)> series, string path, string title)
    {
        var plot = NewPlot(title);
        var palette = new ScottPlot.Palettes.Category10();
        var floor = 0.0;
        var zeroTails = new List<(double[] Xs, int Count)>();
        for (var s = 0; s < series.Count; s++)
        {
            var values = series[s].Eigenvalues;
            var total = values.Where(v => v > 0).Sum();
            var largest = values.Count > 0 ? Math.Max(values.Max(), 0) : 0;
            if (total <= 0) continue;
            var cut = largest * NumericalZero;
            var xs = new List<double>();
            var ys = new List<double>();
            var zeros = new List<double>();
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] > cut)
                {
                    xs.Add(i + 1);
                    ys.Add(Math.Log10(values[i] / total));
                }
                else zeros.Add(i + 1);
            }
            floor = Math.Min(floor, ys.Count > 0 ? ys.Min() : 0);
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.Color = palette.GetColor(s);
            if (series.Count > 1) line.LegendText = series[s].Label;
            if (zeros.Count > 0) zeroTails.Add((zeros.ToArray(), zeros.Count));
        }
        var floorY = Math.Floor(floor) - 0.5;
        if (zeroTails.Count > 0)
        {
            var all = zeroTails.SelectMany(t => t.Xs).ToArray();
            var floorLine = plot.Add.HorizontalLine(floorY);
            floorLine.Color = Colors.Gray;
            floorLine.LinePattern = LinePattern.Dashed;
            floorLine.LineWidth = 1;
            var marks = plot.Add.ScatterPoints(all, all.Select(_ => floorY).ToArray());
            marks.Color = Colors.Gray;
            marks.MarkerSize = 6;
            marks.LegendText = $"numerically zero (λ < {NumericalZero.ToString("0.0e0", CultureInfo.InvariantCulture)}·λ₁): {all.Length} eigenvalue(s), drawn on the dashed floor line";
        }
        plot.Axes.SetLimitsY(floorY - 0.3, 0.2);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = v => PowerOfTen((int)Math.Round(v)),
        };
        plot.XLabel("rank i");
        plot.YLabel("share of variance λᵢ / Σλ (log scale)");
        if (series.Count > 1 || zeroTails.Count > 0) plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, Width, Height);
    }

    /// <summary>Bars of the top rogue dimensions: each dimension's share of the average cosine similarity, in %.</summary>
    public static void RogueDimensions(IReadOnlyList<(int Dimension, double Share)> rogue, string path, string title)
    {
        var plot = NewPlot(title);
        var bars = rogue.Select((r, i) => new Bar { Position = i, Value = r.Share * 100, FillColor = Colors.SteelBlue }).ToArray();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rogue.Select((r, i) => new Tick(i, "d" + r.Dimension.ToString(CultureInfo.InvariantCulture))).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.XLabel("dimension");
        plot.YLabel("share of the average cosine similarity (%)");
        Save(plot, path, Width, Height);
    }

    /// <summary>The rogue-dimension shares (%) of several sources by rank (1st, 2nd, … largest), one line each.</summary>
    public static void RogueComparison(IReadOnlyList<(string Label, IReadOnlyList<double> Shares)> series, string path, string title)
    {
        var plot = NewPlot(title);
        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < series.Count; s++)
        {
            var ys = series[s].Shares.Select(v => v * 100).ToArray();
            var line = plot.Add.ScatterLine(Enumerable.Range(1, ys.Length).Select(i => (double)i).ToArray(), ys);
            line.LegendText = series[s].Label;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.Color = palette.GetColor(s);
        }
        plot.Axes.Margins(bottom: 0);
        plot.XLabel("rogue dimension, by rank (1 = largest contribution)");
        plot.YLabel("share of the average cosine similarity (%)");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, Width, Height);
    }

    /// <summary>One measure across sources: a bar per source, its value printed above the bar in the measure's unit.</summary>
    public static void MeasureComparison(ReportMeasure measure, IReadOnlyList<string> labels, IReadOnlyList<double> plotValues,
        IReadOnlyList<string> valueTexts, string path)
    {
        var plot = NewPlot(measure.Name);
        var palette = new ScottPlot.Palettes.Category10();
        var bars = plotValues.Select((v, i) => new Bar
        {
            Position = i,
            Value = double.IsFinite(v) ? v : 0,
            FillColor = palette.GetColor(i),
            Label = valueTexts[i],
        }).ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(labels.Select((l, i) => new Tick(i, l)).ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.YLabel(measure.AxisLabel);
        Save(plot, path, 640, 400);
    }

    /// <summary>Mean pairwise cosine per token-length bucket, one line per temperature τ.</summary>
    public static void Collapse(IReadOnlyList<string> bucketLabels, IReadOnlyList<(string Series, double?[] Values)> series, string path, string title)
    {
        var plot = NewPlot(title);
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
        plot.XLabel("token-length bucket (lower bound, tokens)");
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.YLabel("mean pairwise cosine similarity");
        Save(plot, path, Width, Height);
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Title(title);
        return plot;
    }

    /// <summary>The first sans-serif family installed here (DejaVu Sans on most Linux systems), else ScottPlot's choice.</summary>
    private static readonly Lazy<string> SansFont = new(() =>
    {
        var installed = new HashSet<string>(SkiaSharp.SKFontManager.Default.GetFontFamilies(), StringComparer.OrdinalIgnoreCase);
        return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Helvetica Neue", "Helvetica", "Arial", "Segoe UI" }
            .FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    });

    private static void Save(Plot plot, string path, int width, int height)
    {
        plot.Font.Set(SansFont.Value); // after the labels are set, so every label gets it
        var png = plot.GetImage(width, height).GetImageBytes(ImageFormat.Png);
        MlNetIso.Onnx.IO.AtomicFile.WriteAllBytes(path, png);
    }

    private static string PowerOfTen(int exponent)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var text = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        return "10" + (exponent < 0 ? "⁻" : "") + string.Concat(text.Select(c => digits[c - '0']));
    }
}
