using MlNetIso.Benchmarks.Study;

namespace MlNetIso.Benchmarks.Tests;

public class BootstrapTests
{
    private static readonly double[] Coins = Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToArray();

    [Fact]
    public void Equal_seeds_give_equal_intervals_and_other_seeds_differ()
    {
        var a = Bootstrap.Mean(Coins, 500, seed: 7);
        var b = Bootstrap.Mean(Coins, 500, seed: 7);
        var c = Bootstrap.Mean(Coins, 500, seed: 8);
        Assert.Equal(a, b);
        Assert.NotEqual((a.Lower, a.Upper), (c.Lower, c.Upper));
    }

    [Fact]
    public void Mean_of_400_fair_coins_has_the_normal_theory_interval()
    {
        // 200 ones in 400: estimate 0.5, standard error √(0.25/400) = 0.025, 95 % interval ≈ 0.5 ± 0.049.
        var interval = Bootstrap.Mean(Coins, 4000, seed: 1);
        Assert.Equal(0.5, interval.Estimate, 12);
        Assert.InRange(interval.Lower, 0.451 - 0.008, 0.451 + 0.008);
        Assert.InRange(interval.Upper, 0.549 - 0.008, 0.549 + 0.008);
        Assert.Equal(4000, interval.Replicates);
    }

    [Fact]
    public void Constant_data_has_a_zero_width_interval()
    {
        var interval = Bootstrap.Mean(Enumerable.Repeat(0.25, 50).ToArray(), 200, seed: 3);
        Assert.Equal((0.25, 0.25, 0.25), (interval.Estimate, interval.Lower, interval.Upper));
    }

    [Fact]
    public void Paired_statistics_on_the_same_resamples_give_an_exact_difference()
    {
        // b = a + 0.1 item by item: each mean alone varies between resamples, their difference never does.
        var a = Enumerable.Range(0, 100).Select(i => Math.Sin(i) * 3).ToArray();
        var b = a.Select(v => v + 0.1).ToArray();
        var all = Enumerable.Range(0, 100).ToArray();
        var intervals = Bootstrap.Intervals([all], 100, 1000, seed: 5,
            w => [Bootstrap.WeightedMean(a, w), Bootstrap.WeightedMean(b, w), Bootstrap.WeightedMean(b, w) - Bootstrap.WeightedMean(a, w)]);
        Assert.True(intervals[0].Upper - intervals[0].Lower > 0.5, "a single mean must vary");
        Assert.Equal(0.1, intervals[2].Lower, 9);
        Assert.Equal(0.1, intervals[2].Upper, 9);
        Assert.True(intervals[2].AboveZero);
    }

    [Fact]
    public void Stratified_resamples_keep_every_stratum_size_and_membership()
    {
        int[][] strata = [[0, 1, 2], [3, 4], [5]];
        var weights = new int[6];
        var random = new Random(11);
        for (var r = 0; r < 200; r++)
        {
            Bootstrap.Resample(strata, random, weights);
            Assert.Equal(3, weights[0] + weights[1] + weights[2]);
            Assert.Equal(2, weights[3] + weights[4]);
            Assert.Equal(1, weights[5]);
        }
    }

    [Fact]
    public void Quantile_interpolates_linearly_between_order_statistics()
    {
        double[] sorted = [1, 2, 3, 4, 5];
        Assert.Equal(2.0, Bootstrap.Quantile(sorted, 0.25), 12);
        Assert.Equal(1.4, Bootstrap.Quantile(sorted, 0.1), 12);
        Assert.Equal(5.0, Bootstrap.Quantile(sorted, 1.0), 12);
    }

    [Fact]
    public void Strata_must_cover_every_item_once()
    {
        Assert.Throws<ArgumentException>(() => Bootstrap.Intervals([[0, 1], [1, 2]], 3, 10, 1, _ => [0.0]));
        Assert.Throws<ArgumentException>(() => Bootstrap.Intervals([[0, 1]], 3, 10, 1, _ => [0.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.Intervals([[0, 5]], 3, 10, 1, _ => [0.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.Mean([1.0], 10, 1, level: 1.5));
    }
}
