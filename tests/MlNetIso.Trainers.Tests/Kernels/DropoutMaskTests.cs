using MlNetIso.Trainers.Kernels;

namespace MlNetIso.Trainers.Tests.Kernels;

public class DropoutMaskTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Mask_KeepsAboutOneMinusP_ScaledByItsInverse(double p)
    {
        var mask = new float[200_003];
        DropoutMask.Fill(mask, DropoutMask.Key(7, 0), p);
        float scale = (float)(1 / (1 - p));
        Assert.All(mask, m => Assert.True(m == 0f || m == scale, $"{m} is neither 0 nor {scale}"));
        double kept = mask.Count(m => m != 0) / (double)mask.Length;
        double sd = Math.Sqrt(p * (1 - p) / mask.Length);
        Assert.InRange(kept, 1 - p - 5 * sd, 1 - p + 5 * sd);
        // Inverted dropout keeps the mean: E[mask] = 1.
        Assert.InRange(mask.Average(m => (double)m), 1 - 5 * sd * scale, 1 + 5 * sd * scale);
    }

    [Fact]
    public void Mask_IsAPureFunctionOfKeyAndIndex_WhateverTheSimdWidth()
    {
        ulong key = DropoutMask.Key(3, 5);
        var mask = new float[1037]; // SIMD lanes and a scalar tail
        DropoutMask.Fill(mask, key, 0.25);
        uint threshold = (uint)Math.Round(0.25 * 4294967296.0);
        for (int i = 0; i < mask.Length; i++)
        {
            uint h = DropoutMask.Finalise(DropoutMask.Finalise((uint)i ^ (uint)key) ^ (uint)(key >> 32));
            Assert.Equal(h >= threshold ? 1 / 0.75f : 0f, mask[i]);
        }
        // A shorter fill is a prefix of a longer one with the same key.
        var prefix = new float[10];
        DropoutMask.Fill(prefix, key, 0.25);
        Assert.Equal(mask[..10], prefix);
    }

    [Fact]
    public void Keys_DifferBetweenCallsAndSeeds_AndMasksWithThem()
    {
        var keys = new HashSet<ulong>();
        for (ulong seed = 0; seed < 4; seed++)
            for (ulong call = 0; call < 100; call++)
                Assert.True(keys.Add(DropoutMask.Key(seed, call)));
        var a = new float[4096];
        var b = new float[4096];
        DropoutMask.Fill(a, DropoutMask.Key(1, 0), 0.1);
        DropoutMask.Fill(b, DropoutMask.Key(1, 1), 0.1);
        Assert.NotEqual(a, b);
        // Two independent masks at p = 0.1 drop the same element about 1 % of the time.
        double both = Enumerable.Range(0, a.Length).Count(i => a[i] == 0 && b[i] == 0) / (double)a.Length;
        Assert.InRange(both, 0.002, 0.025);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void BadProbability_IsRejected(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DropoutMask.Fill(new float[4], 1, p));

    [Fact]
    public void ZeroProbability_KeepsEverything()
    {
        var mask = new float[100];
        DropoutMask.Fill(mask, 9, 0);
        Assert.All(mask, m => Assert.Equal(1f, m));
    }
}
