using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Parameters;
using MlNetIso.Benchmarks.IsoScore;
using MlNetIso.Geometry;

namespace MlNetIso.Benchmarks.Kernels;

/// <summary>The streaming accumulator end to end: 20,000 × 768 float rows in, covariance out, 1 and 2 partitions.</summary>
public class AccumulatorBenchmarks
{
    private const int RowCount = 20_000;
    private float[] _rows = [];

    /// <summary>Partitions folded in parallel.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Columns d.</summary>
    [Params(768)]
    public int Dimension { get; set; }

    /// <summary>Useful flops of one operation.</summary>
    public static double Flops(string method, ParameterInstances parameters)
    {
        int d = GflopsColumn.Parameter<int>(parameters, nameof(Dimension));
        return (double)RowCount * d * (d + 1);
    }

    [GlobalSetup]
    public void Setup() => _rows = RowClouds.Gaussian(RowCount, Dimension, seed: 1);

    /// <summary>AddRows + GetCovariance.</summary>
    [Benchmark]
    public double[,] AddRowsAndCovariance()
    {
        var acc = new CovarianceAccumulator(Dimension, Threads);
        acc.AddRows(_rows, RowCount);
        return acc.GetCovariance();
    }
}
