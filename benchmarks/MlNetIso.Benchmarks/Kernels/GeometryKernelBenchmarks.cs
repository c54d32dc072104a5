using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Parameters;
using MlNetIso.Benchmarks.IsoScore;
using MlNetIso.Transforms.Geometry;
using static MlNetIso.Transforms.Geometry.SymmetricRankKUpdate;

namespace MlNetIso.Benchmarks.Kernels;

/// <summary>
/// The rank-k update on one block of 257 × 768 (256 rows plus the Chan cross row), per instruction path.
/// Useful flops: rows·d(d+1).
/// </summary>
public class RankKUpdateBenchmarks
{
    private const int Rows = CovarianceAccumulator.BlockRows + 1;
    private double[] _packed = [];
    private double[] _gram = [];
    private KernelPath _path;
    private int _panels;

    /// <summary>Instruction path (a path this CPU lacks fails its setup and is reported as such).</summary>
    [Params("Vector512", "Vector256", "Scalar")]
    public string Path { get; set; } = "Vector512";

    /// <summary>Columns d.</summary>
    [Params(768)]
    public int Dimension { get; set; }

    /// <summary>Useful flops of one operation.</summary>
    public static double Flops(string method, ParameterInstances parameters)
    {
        int d = GflopsColumn.Parameter<int>(parameters, nameof(Dimension));
        return (double)Rows * d * (d + 1);
    }

    [GlobalSetup]
    public void Setup()
    {
        _path = Enum.Parse<KernelPath>(Path);
        if (!IsSupported(_path)) throw new NotSupportedException($"{_path} is not accelerated on this CPU.");
        (_packed, _panels) = RandomBlock(_path, Rows, Dimension, seed: 1);
        _gram = new double[_panels * PanelWidth(_path) * _panels * PanelWidth(_path)];
    }

    /// <summary>The library kernel (float64 products and sums).</summary>
    [Benchmark]
    public void RankKUpdate() => AddUpperGram(_path, _packed, Rows * PanelWidth(_path), Rows, _panels, _gram);

    /// <summary>A packed block of random values in [−0.5, 0.5) for a path, and its panel count.</summary>
    internal static (double[] Packed, int Panels) RandomBlock(KernelPath path, int rows, int d, int seed)
    {
        int w = PanelWidth(path), panels = (d + w - 1) / w;
        var rng = new Random(seed);
        var packed = new double[panels * rows * w];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < d; j++) packed[j / w * rows * w + r * w + j % w] = rng.NextDouble() - 0.5;
        return (packed, panels);
    }
}

/// <summary>
/// The float32 decision, side by side on one 257 × 768 block (AVX-512): the library's float64 kernel against the
/// study kernel with float32 products (<see cref="Float32BlockGram"/>). Useful flops: rows·d(d+1).
/// </summary>
public class Float32ProductsBenchmarks
{
    private const int Rows = CovarianceAccumulator.BlockRows + 1;
    private double[] _packed = [];
    private double[] _gram = [];
    private float[] _packed32 = [];
    private double[] _gram32 = [];
    private int _panels;

    /// <summary>Columns d.</summary>
    [Params(768)]
    public int Dimension { get; set; }

    /// <summary>Useful flops of one operation.</summary>
    public static double Flops(string method, ParameterInstances parameters)
    {
        int d = GflopsColumn.Parameter<int>(parameters, nameof(Dimension));
        return (double)Rows * d * (d + 1);
    }

    [GlobalSetup]
    public void Setup()
    {
        if (!IsSupported(KernelPath.Vector512)) throw new NotSupportedException("The float32 study kernel needs AVX-512.");
        (_packed, _panels) = RankKUpdateBenchmarks.RandomBlock(KernelPath.Vector512, Rows, Dimension, seed: 1);
        _gram = new double[_panels * 8 * _panels * 8];
        int p32 = Float32BlockGram.Panels(Dimension);
        var rng = new Random(2);
        _packed32 = new float[p32 * Rows * Float32BlockGram.PanelWidth];
        for (int i = 0; i < _packed32.Length; i++) _packed32[i] = (float)(rng.NextDouble() - 0.5);
        _gram32 = new double[p32 * Float32BlockGram.PanelWidth * p32 * Float32BlockGram.PanelWidth];
    }

    /// <summary>The library kernel: float64 products and sums (Vector512 path).</summary>
    [Benchmark(Baseline = true)]
    public void Float64Products() => AddUpperGram(KernelPath.Vector512, _packed, Rows * 8, Rows, _panels, _gram);

    /// <summary>float32 products, float32 sums within a chunk, float64 between chunks.</summary>
    [Benchmark]
    public void Float32Products() =>
        Float32BlockGram.AddUpperGram(_packed32, Rows * Float32BlockGram.PanelWidth, Rows, Float32BlockGram.Panels(Dimension), _gram32);
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
