using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Parameters;
using MlNetIso.Benchmarks.IsoScore;
using MlNetIso.Geometry;
using static MlNetIso.Geometry.SymmetricRankKUpdate;

namespace MlNetIso.Benchmarks.Kernels;

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
