using MlNetIso.Trainers.Kernels;

namespace MlNetIso.Trainers.Tests.Kernels;

public class AdamWUpdateTests
{
    private static readonly AdamWUpdate.Coefficients Step3 = new(
        Decay: (float)(1 - 1e-3 * 0.01), Beta1: 0.9f, OneMinusBeta1: (float)(1 - 0.9), Beta2: 0.999f, OneMinusBeta2: (float)(1 - 0.999),
        RootCorrection2: (float)Math.Sqrt(1 - Math.Pow(0.999, 3)), Epsilon: 1e-8f, StepSize: (float)(-1e-3 / (1 - Math.Pow(0.9, 3))));

    [Fact]
    public void Update_FollowsTheAdamWFormula_ElementByElement()
    {
        var random = new Random(4);
        int n = 1000;
        float[] p = Draw(random, n), g = Draw(random, n), m = Draw(random, n), v = Draw(random, n).Select(Math.Abs).ToArray();
        float[] p0 = (float[])p.Clone(), m0 = (float[])m.Clone(), v0 = (float[])v.Clone();
        AdamWUpdate.Apply(p, g, m, v, Step3);
        var c = Step3;
        for (int i = 0; i < n; i++)
        {
            double mi = 0.9 * m0[i] + 0.1 * g[i];
            double vi = 0.999 * v0[i] + 0.001 * (double)g[i] * g[i];
            double pi = p0[i] * (double)c.Decay + c.StepSize * mi / (Math.Sqrt(vi) / c.RootCorrection2 + 1e-8);
            Assert.Equal(mi, m[i], 1e-6);
            Assert.Equal(vi, v[i], 1e-6);
            Assert.Equal(pi, p[i], 1e-6);
        }
    }

    [Fact]
    public void ParallelChunks_GiveTheSameBitsAsOneThread()
    {
        var random = new Random(5);
        int n = 200_001;
        float[] g = Draw(random, n);
        float[] p1 = Draw(random, n), m1 = Draw(random, n), v1 = Draw(random, n).Select(Math.Abs).ToArray();
        float[] p2 = (float[])p1.Clone(), m2 = (float[])m1.Clone(), v2 = (float[])v1.Clone();
        AdamWUpdate.Apply(p1, g, m1, v1, Step3, threads: 1);
        AdamWUpdate.Apply(p2, g, m2, v2, Step3, threads: 2);
        Assert.Equal(p1, p2);
        Assert.Equal(m1, m2);
        Assert.Equal(v1, v2);
    }

    /// <summary>The update reports whether every value it wrote is finite, on the scalar tail, SIMD lanes and parallel chunks.</summary>
    [Theory]
    [InlineData(7, 1)]
    [InlineData(1000, 1)]
    [InlineData(200_001, 2)]
    public void Update_ReportsWhetherTheWeightsStayFinite(int n, int threads)
    {
        var random = new Random(n);
        float[] p = Draw(random, n), g = Draw(random, n), m = new float[n], v = new float[n];
        Assert.True(AdamWUpdate.Apply(p, g, m, v, Step3, threads));
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity })
        {
            float[] q = Draw(random, n), h = Draw(random, n);
            h[n - 1] = bad; // the last element: the scalar tail or the last chunk
            Assert.False(AdamWUpdate.Apply(q, h, new float[n], new float[n], Step3, threads));
            float[] r = Draw(random, n), k = Draw(random, n);
            r[n / 2] = bad; // a weight that is already not finite
            Assert.False(AdamWUpdate.Apply(r, k, new float[n], new float[n], Step3, threads));
        }
    }

    [Fact]
    public void MismatchedLengths_AreRejected() =>
        Assert.Throws<ArgumentException>(() => AdamWUpdate.Apply(new float[4], new float[3], new float[4], new float[4], Step3));

    private static float[] Draw(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
