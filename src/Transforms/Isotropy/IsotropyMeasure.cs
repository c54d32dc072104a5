namespace MlNetIso.Transforms.Isotropy;

/// <summary>One scalar entry of <see cref="IsotropyReport.Measures"/>: how a report table names, explains and reads it.</summary>
/// <param name="Name">The display name, e.g. "IsoScore".</param>
/// <param name="Meaning">A one-line explanation (formula or source).</param>
/// <param name="Read">Reads the value from a report (NaN when the report predates the measure).</param>
/// <param name="IsCount">True for row and dimension counts (shown as integers), false for real-valued scores.</param>
public sealed record IsotropyMeasure(string Name, string Meaning, Func<IsotropyReport, double> Read, bool IsCount = false);
