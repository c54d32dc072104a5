using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Parameters;
using MlNetIso.Benchmarks.IsoScore;
using MlNetIso.Transforms.Geometry;
using static MlNetIso.Transforms.Geometry.SymmetricRankKUpdate;

namespace MlNetIso.Benchmarks.Kernels;

/// <summary>
/// The rank-k update on one block of 257 × 768 (256 rows plus the Chan cross row), per instruction path; and the
/// float32-products kernel of the float32 study on the same block. Useful flops: rows·d(d+1).
/// </summary>
public class RankKUpdateBenchmarks
{
    private const int Rows = CovarianceAccumulator.BlockRows + 1;
    private double[] _packed = [];
    private double[] _gram = [];
    private float[] _packed32 = [];
    private double[] _gram32 = [];
    private KernelPath _path;
    private int _panels;

    /// <summary>Instruction path (paths this CPU lacks are reported as not supported).</summary>
    [Params("Vector512", "Vector256", "Scalar")]
    public string Path { get; set; } = "Vector512";

    /// <summary>Columns d.</summary>
    [Params(768)]
    public int Dimension { get; set; }

    /// <summary>Useful flops of one operation.</summary>
    public static double Flops(string method, ParameterInstances parameters) =>
        (double)Rows * GflopsColumn.Parameter<int>(parameters, nameof(Dimension)) * (GflopsColumn.Parameter<int>(parameters, nameof(Dimension)) + 1);

    [GlobalSetup]
    public void Setup()
    {
        _path = Enum.Parse<KernelPath>(Path);
        if (!IsSupported(_path)) throw new NotSupportedException($"{_path} is not accelerated on this CPU.");
        int w = PanelWidth(_path);
        _panels = (Dimension + w - 1) / w;
        var rng = new Random(1);
        _packed = new double[_panels * Rows * w];
        for (int r = 0; r < Rows; r++)
            for (int j = 0; j < Dimension; j++) _packed[j / w * Rows * w + r * w + j % w] = rng.NextDouble() - 0.5;
        _gram = new double[_panels * w * _panels * w];
        int p32 = Float32BlockGram.Panels(Dimension);
        _packed32 = new float[p32 * Rows * Float32BlockGram.PanelWidth];
        for (int i = 0; i < _packed32.Length; i++) _packed32[i] = (float)(rng.NextDouble() - 0.5);
        _gram32 = new double[p32 * Float32BlockGram.PanelWidth * p32 * Float32BlockGram.PanelWidth];
    }

    /// <summary>The library kernel (float64 products and sums).</summary>
    [Benchmark(Baseline = true)]
    public void RankKUpdate() => AddUpperGram(_path, _packed, Rows * PanelWidth(_path), Rows, _panels, _gram);

    /// <summary>The float32-products study kernel (AVX-512 only; runs in the Vector512 case).</summary>
    [Benchmark]
    public void RankKUpdateFloat32Products()
    {
        if (_path != KernelPath.Vector512) return;
        Float32BlockGram.AddUpperGram(_packed32, Rows * Float32BlockGram.PanelWidth, Rows, Float32BlockGram.Panels(Dimension), _gram32);
    }
}

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
