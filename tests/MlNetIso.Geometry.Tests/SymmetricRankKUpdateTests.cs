using FsCheck;
using FsCheck.Fluent;
using static MlNetIso.Geometry.SymmetricRankKUpdate;

namespace MlNetIso.Geometry.Tests;

/// <summary>
/// The rank-k kernel against a naive double reference on random shapes, on every instruction path this machine runs
/// (the narrower paths are forced through the path argument), and the paths against each other bit for bit.
/// </summary>
public class SymmetricRankKUpdateTests
{
    private static readonly KernelPath[] Paths = Enum.GetValues<KernelPath>().Where(IsSupported).ToArray();

    [Fact]
    public void Paths_ScalarAlwaysAvailable_WidestSupported()
    {
        Assert.Contains(KernelPath.Scalar, Paths);
        Assert.True(IsSupported(Widest));
    }

    [Theory]
    [InlineData(1, 1)]       // one column, one row
    [InlineData(5, 1)]       // m = 1
    [InlineData(7, 3)]       // d below one panel
    [InlineData(13, 100)]    // d not a multiple of 4 or 8, m < one chunk
    [InlineData(24, 192)]    // exactly one full group of the 512 kernel, exactly one chunk
    [InlineData(33, 193)]    // one row past a chunk: two chunks of 97 and 96
    [InlineData(50, 257)]    // a full block plus the Chan cross row
    [InlineData(97, 450)]    // several groups and chunks, partial last group
    public void Kernel_OnEveryPath_EqualsNaiveReference(int d, int rows)
    {
        var x = RandomMatrix(rows, d, seed: d * 1000 + rows);
        var expected = NaiveUpperGram(x);
        foreach (var path in Paths)
        {
            var gram = Run(path, x, extraStride: 3);
            AssertUpperClose(expected, gram, d, path);
        }
    }

    [Fact]
    public void PropertyRandomShapes_PathsAgreeBitForBitAndMatchTheReference()
    {
        // Random shapes, a random number of leading rows centred in place by the kernel (the rest, like the Chan cross
        // row, left alone) and a panel stride with slack.
        var gen = Gen.Choose(1, 70).Zip(Gen.Choose(0, 420)).Zip(Gen.Choose(0, 5).Zip(Gen.Choose(0, 100)));
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var ((d, rows), (extra, centredPercent)) = t;
            var x = RandomMatrix(rows, d, seed: d * 7919 + rows * 31 + extra, offset: 3);
            int centred = rows * centredPercent / 100;
            var centre = Enumerable.Range(0, d).Select(j => centred == 0 ? 0 : Enumerable.Range(0, centred).Average(r => x[r, j])).ToArray();
            var shifted = (double[,])x.Clone();
            for (int r = 0; r < centred; r++)
                for (int j = 0; j < d; j++) shifted[r, j] -= centre[j];
            var expected = NaiveUpperGram(shifted);
            var scalar = Upper(Run(KernelPath.Scalar, x, extra, centre, centred), d, KernelPath.Scalar);
            foreach (var path in Paths)
            {
                var gram = Run(path, x, extra, centre, centred);
                AssertUpperClose(expected, gram, d, path);
                Assert.Equal(scalar, Upper(gram, d, path)); // same fused multiply-adds in the same order on every path
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    [Fact]
    public void CentredRows_AreLeftCentredInThePackedBlock()
    {
        var x = RandomMatrix(300, 19, seed: 5, offset: 10);
        foreach (var path in Paths)
        {
            int w = PanelWidth(path), panels = (19 + w - 1) / w;
            var centre = new double[panels * w];
            for (int j = 0; j < 19; j++) centre[j] = 10 + j;
            var packed = Pack(x, path, 0);
            AddUpperGram(path, packed, 300 * w, 300, panels, new double[panels * w * panels * w], centre, 250);
            for (int r = 0; r < 300; r++)
                for (int j = 0; j < 19; j++)
                    Assert.Equal(r < 250 ? x[r, j] - (10 + j) : x[r, j], packed[j / w * 300 * w + r * w + j % w]);
        }
    }

    [Fact]
    public void Kernel_AddsToTheExistingGram()
    {
        var x = RandomMatrix(40, 11, seed: 3);
        foreach (var path in Paths)
        {
            int w = PanelWidth(path), panels = (11 + w - 1) / w, padded = panels * w;
            var packed = Pack(x, path, 0);
            var gram = new double[padded * padded];
            AddUpperGram(path, packed, 40 * w, 40, panels, gram);
            var once = (double[])gram.Clone();
            AddUpperGram(path, packed, 40 * w, 40, panels, gram);
            for (int i = 0; i < 11; i++)
                for (int j = i; j < 11; j++)
                    Assert.Equal(2 * once[i * padded + j], gram[i * padded + j], 12);
        }
    }

    [Fact]
    public void InconsistentSizes_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => AddUpperGram(KernelPath.Scalar, new double[8], 8, 3, 1, new double[16]));
        Assert.Throws<ArgumentException>(() => AddUpperGram(KernelPath.Scalar, new double[8], 8, 2, 1, new double[15]));
        Assert.Throws<ArgumentException>(() => AddUpperGram(KernelPath.Scalar, new double[8], 8, 2, 1, new double[16], new double[3], 1));
        Assert.Throws<ArgumentException>(() => AddUpperGram(KernelPath.Scalar, new double[8], 8, 2, 1, new double[16], new double[4], 3));
    }

    private static double[,] RandomMatrix(int rows, int d, int seed, double offset = 0)
    {
        var rng = new Random(seed);
        var x = new double[rows, d];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < d; j++)
                x[r, j] = offset + GeometryTestData.Gaussian(rng) * (1 + j % 3);
        return x;
    }

    private static double[,] NaiveUpperGram(double[,] x)
    {
        int rows = x.GetLength(0), d = x.GetLength(1);
        var g = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
            {
                double s = 0;
                for (int r = 0; r < rows; r++) s += x[r, i] * x[r, j];
                g[i, j] = s;
            }
        return g;
    }

    private static double[] Pack(double[,] x, KernelPath path, int extraStride)
    {
        int rows = x.GetLength(0), d = x.GetLength(1), w = PanelWidth(path), panels = (d + w - 1) / w;
        int stride = rows * w + extraStride * w;
        var packed = new double[panels * stride];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < d; j++)
                packed[j / w * stride + r * w + j % w] = x[r, j];
        return packed;
    }

    private static double[] Run(KernelPath path, double[,] x, int extraStride, double[]? centre = null, int centredRows = 0)
    {
        int rows = x.GetLength(0), d = x.GetLength(1), w = PanelWidth(path), panels = (d + w - 1) / w;
        var gram = new double[panels * w * panels * w];
        var padded = new double[panels * w];
        centre?.CopyTo(padded, 0);
        AddUpperGram(path, Pack(x, path, extraStride), rows * w + extraStride * w, rows, panels, gram, padded, centredRows);
        return gram;
    }

    private static double[] Upper(double[] gram, int d, KernelPath path)
    {
        int w = PanelWidth(path), padded = (d + w - 1) / w * w;
        var upper = new List<double>();
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) upper.Add(gram[i * padded + j]);
        return upper.ToArray();
    }

    private static void AssertUpperClose(double[,] expected, double[] gram, int d, KernelPath path)
    {
        int w = PanelWidth(path), padded = (d + w - 1) / w * w;
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
            {
                double e = expected[i, j], tolerance = 1e-12 * (1 + Math.Sqrt(Math.Abs(expected[i, i] * expected[j, j])));
                Assert.True(Math.Abs(gram[i * padded + j] - e) <= tolerance,
                    $"{path}: entry ({i}, {j}) is {gram[i * padded + j]:R}, expected {e:R}");
            }
    }
}
