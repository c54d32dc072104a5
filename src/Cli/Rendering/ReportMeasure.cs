using System.Globalization;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Cli.Rendering;

/// <summary>
/// One row of the geometry report: its name, unit, what it is (the formula), how to read a value, and whether the
/// comparison report plots it. <see cref="ReportMeasures.All"/> is the one list every renderer iterates.
/// </summary>
internal sealed record ReportMeasure(
    string Key,
    string Name,
    MeasureUnit Unit,
    string Meaning,
    Func<IsotropyReport, double> Value,
    Func<IsotropyReport, string>? Reading = null,
    bool Compared = true)
{
    /// <summary>The value of <paramref name="report"/> as text in this measure's unit ("n/a" when undefined).</summary>
    public string Format(IsotropyReport report) => Format(Value(report), Unit);

    /// <summary>The one-line reading of <paramref name="report"/>'s value ("" when the measure has none).</summary>
    public string Read(IsotropyReport report) => Reading is null || !double.IsFinite(Value(report)) ? "" : Reading(report);

    /// <summary>A value as text in <paramref name="unit"/>: shares as percentages, so tables and plots agree.</summary>
    public static string Format(double value, MeasureUnit unit) => !double.IsFinite(value) ? "n/a" : unit switch
    {
        MeasureUnit.Count => value.ToString("N0", CultureInfo.InvariantCulture),
        MeasureUnit.Share => (value * 100).ToString(value * 100 < 10 ? "0.0#" : "0.0", CultureInfo.InvariantCulture) + " %",
        MeasureUnit.Directions => value.ToString("0.0", CultureInfo.InvariantCulture),
        MeasureUnit.Nats => value.ToString("0.000", CultureInfo.InvariantCulture),
        _ => value.ToString("0.0000", CultureInfo.InvariantCulture),
    };

    /// <summary>The value as plotted: percentages for shares, the value itself otherwise.</summary>
    public double PlotValue(IsotropyReport report) => Unit == MeasureUnit.Share ? Value(report) * 100 : Value(report);

    /// <summary>The plot's axis label: the name, with "(%)" for shares.</summary>
    public string AxisLabel => Unit == MeasureUnit.Share ? Name + " (%)" : Name;
}
