using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Cli.Rendering;

/// <summary>One measured source of a report: a short label for tables and legends, what it is, and its report.</summary>
internal sealed record MeasuredSource(string Label, string Description, IsotropyReport Report);
