using MlNetIso.Trainers.Kernels;

namespace MlNetIso.Trainers.Tests.Kernels;

public unsafe class SingleGemmTests
{
    /// <summary>A linear layer's three products — X·Wᵀ, dY·W, dYᵀ·X — on shapes with and without partial tiles and blocks.</summary>
    [Theory]
    [InlineData(24, 64, 32, 1)]
    [InlineData(37, 45, 29, 1)]   // partial tiles everywhere
    [InlineData(200, 530, 7, 2)]  // two column blocks, two row blocks in parallel
    [InlineData(13, 33, 400, 2)]  // three depth blocks
    [InlineData(1, 1, 1, 1)]
    public void Products_MatchADoublePrecisionReference(int m, int n, int k, int threads)
    {
        if (!SingleGemm.IsSupported) return; // libtorch's product is used on CPUs without AVX-512
        var random = new Random(m * 1000 + n * 10 + k);
        float[] x = Draw(random, m * k), w = Draw(random, n * k), wT = new float[k * n];
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) wT[p * n + j] = w[j * k + p];
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) expected[i * n + j] += (double)x[i * k + p] * w[j * k + p];

        var viaTransposedStrides = new float[m * n]; // X·Wᵀ read through W's strides (the forward product)
        var viaRowMajor = new float[m * n];          // X·(Wᵀ stored row-major)
        var viaTransposedA = new float[m * n];       // (Xᵀ)ᵀ·Wᵀ: A read column-major (the weight-gradient layout)
        var xT = new float[k * m];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) xT[p * m + i] = x[i * k + p];
        fixed (float* px = x, pw = w, pwT = wT, pxT = xT, c1 = viaTransposedStrides, c2 = viaRowMajor, c3 = viaTransposedA)
        {
            SingleGemm.Multiply(m, n, k, px, k, 1, pw, 1, k, c1, n, accumulate: false, threads);
            SingleGemm.Multiply(m, n, k, px, k, 1, pwT, n, 1, c2, n, accumulate: false, threads);
            SingleGemm.Multiply(m, n, k, pxT, 1, m, pwT, n, 1, c3, n, accumulate: false, threads);
        }
        foreach (var actual in new[] { viaTransposedStrides, viaRowMajor, viaTransposedA })
            for (int i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * Math.Sqrt(k) + 1e-5 * Math.Abs(expected[i]),
                    $"element {i}: {actual[i]} vs {expected[i]}");
        // Every layout sums the same products in the same order.
        Assert.Equal(viaTransposedStrides, viaRowMajor);
        Assert.Equal(viaTransposedStrides, viaTransposedA);
    }

    [Fact]
    public void Accumulate_AddsToC_AndThreadsGiveTheSameBits()
    {
        if (!SingleGemm.IsSupported) return;
        var random = new Random(3);
        int m = 400, n = 96, k = 250;
        float[] a = Draw(random, m * k), b = Draw(random, k * n), start = Draw(random, m * n);
        float[] one = (float[])start.Clone(), two = (float[])start.Clone(), fresh = new float[m * n];
        fixed (float* pa = a, pb = b, c1 = one, c2 = two, c3 = fresh)
        {
            SingleGemm.Multiply(m, n, k, pa, k, 1, pb, n, 1, c1, n, accumulate: true, threads: 1);
            SingleGemm.Multiply(m, n, k, pa, k, 1, pb, n, 1, c2, n, accumulate: true, threads: 2);
            SingleGemm.Multiply(m, n, k, pa, k, 1, pb, n, 1, c3, n, accumulate: false, threads: 1);
        }
        Assert.Equal(one, two);
        for (int i = 0; i < one.Length; i++) Assert.Equal(start[i] + fresh[i], one[i], 1e-4f);
    }

    [Fact]
    public void EmptyDepth_ClearsOrKeepsC()
    {
        if (!SingleGemm.IsSupported) return;
        float[] c = [1, 2, 3, 4];
        fixed (float* pc = c)
        {
            SingleGemm.Multiply(2, 2, 0, null, 0, 1, null, 2, 1, pc, 2, accumulate: true);
            Assert.Equal([1f, 2, 3, 4], c);
            SingleGemm.Multiply(2, 2, 0, null, 0, 1, null, 2, 1, pc, 2, accumulate: false);
        }
        Assert.Equal(new float[4], c);
    }

    private static float[] Draw(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
