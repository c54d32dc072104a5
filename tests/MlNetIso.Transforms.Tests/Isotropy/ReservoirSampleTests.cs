using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>The reservoir sample behind the point-based measures is uniform, seeded and copies its rows.</summary>
public sealed class ReservoirSampleTests
{
    [Fact]
    public void KeepsEveryRow_WhenTheStreamIsShorterThanTheCapacity()
    {
        var sample = new ReservoirSample(10, seed: 3);
        for (int i = 0; i < 4; i++)
            sample.Offer([i, -i]);
        Assert.Equal(4, sample.Rows.Count);
        Assert.Equal([0f, 1f, 2f, 3f], sample.Rows.Select(r => r[0]).ToArray());
    }

    [Fact]
    public void EachRow_IsKeptWithProbabilityCapacityOverN()
    {
        const int n = 200, capacity = 20, trials = 2000;
        var hits = new int[n];
        for (int seed = 0; seed < trials; seed++)
        {
            var sample = new ReservoirSample(capacity, seed);
            for (int i = 0; i < n; i++)
                sample.Offer([i]);
            Assert.Equal(capacity, sample.Rows.Count);
            foreach (var row in sample.Rows)
                hits[(int)row[0]]++;
        }
        // Expected 200 hits per row (p = 0.1); binomial s.d. ≈ 13.4, so ±60 is a > 4 s.d. band. Early and late rows alike.
        Assert.All(hits, h => Assert.InRange(h, 140, 260));
        Assert.InRange(hits.Take(20).Average(), 180, 220);
        Assert.InRange(hits.Skip(180).Average(), 180, 220);
    }

    [Fact]
    public void IsReproducibleForASeed_AndCopiesRows()
    {
        static float[][] Draw(int seed)
        {
            var sample = new ReservoirSample(5, seed);
            var buffer = new double[1];
            for (int i = 0; i < 100; i++)
            {
                buffer[0] = i;
                sample.Offer(buffer);
            }
            return [.. sample.Rows];
        }
        Assert.Equal(Draw(11), Draw(11));
        Assert.NotEqual(Draw(11), Draw(12));
        Assert.Equal(5, Draw(11).Select(r => r[0]).Distinct().Count());
    }
}
