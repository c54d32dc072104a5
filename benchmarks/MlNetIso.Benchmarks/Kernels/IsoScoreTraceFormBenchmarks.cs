using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Parameters;
using MlNetIso.Benchmarks.IsoScore;
using MlNetIso.Geometry;

namespace MlNetIso.Benchmarks.Kernels;

/// <summary>IsoScore's trace form (T²/F) on a 768×768 covariance: O(d²), no eigensolver.</summary>
public class IsoScoreTraceFormBenchmarks
{
    private double[,] _covariance = new double[0, 0];

    /// <summary>Columns d.</summary>
    [Params(768)]
    public int Dimension { get; set; }

    /// <summary>Useful flops: d² multiply-adds for ‖C‖²_F plus d adds for the trace.</summary>
    public static double Flops(string method, ParameterInstances parameters)
    {
        int d = GflopsColumn.Parameter<int>(parameters, nameof(Dimension));
        return 2.0 * d * d + d;
    }

    [GlobalSetup]
    public void Setup()
    {
        var acc = new CovarianceAccumulator(Dimension);
        acc.AddRows(RowClouds.HiddenStateLike(2_000, Dimension, seed: 3), 2_000);
        _covariance = acc.GetCovariance();
    }

    /// <summary>CovarianceScores.IsoScore (validation scan included).</summary>
    [Benchmark]
    public double IsoScoreTraceForm() => CovarianceScores.IsoScore(_covariance);
}
