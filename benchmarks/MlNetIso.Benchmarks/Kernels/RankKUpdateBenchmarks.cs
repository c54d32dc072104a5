using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Parameters;
using MlNetIso.Geometry;
using static MlNetIso.Geometry.SymmetricRankKUpdate;

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
