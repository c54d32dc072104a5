using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MlNetIso.Benchmarks.Kernels;

/// <summary>
/// BenchmarkDotNet column "GFLOP/s": the useful floating-point operations of one benchmark operation divided by its
/// mean time. A benchmark class declares its count as <c>public static double Flops(string method, ParameterInstances parameters)</c>.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(GflopsColumn);

    /// <inheritdoc />
    public string ColumnName => "GFLOP/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Useful floating-point operations per second: flops of one operation / Mean";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        var method = benchmarkCase.Descriptor.Type.GetMethod("Flops", BindingFlags.Public | BindingFlags.Static);
        if (stats is null || method is null) return "–";
        double flops = (double)method.Invoke(null, [benchmarkCase.Descriptor.WorkloadMethod.Name, benchmarkCase.Parameters])!;
        return flops > 0 ? (flops / stats.Mean).ToString("0.0", CultureInfo.InvariantCulture) : "–"; // flops per ns = GFLOP/s
    }

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <summary>The value of a benchmark parameter.</summary>
    public static T Parameter<T>(ParameterInstances parameters, string name) => (T)parameters[name];
}
