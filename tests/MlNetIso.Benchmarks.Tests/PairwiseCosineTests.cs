using MlNetIso.Benchmarks.Study;

namespace MlNetIso.Benchmarks.Tests;

public class PairwiseCosineTests
{
    // e1 = (1, 0), e2 = (0, 1), e3 = (1, 1)/√2: cos(e1,e2) = 0, cos(e1,e3) = cos(e2,e3) = 1/√2.
    private static readonly float[] Rows = [1, 0, 0, 1, (float)(1 / Math.Sqrt(2)), (float)(1 / Math.Sqrt(2))];

    [Fact]
    public void Unweighted_mean_is_the_average_over_distinct_pairs()
    {
        var mean = PairwiseCosine.Mean(Rows, 2, [0, 1, 2], null, new double[2]);
        Assert.Equal(2 / Math.Sqrt(2) / 3, mean, 6); // (0 + 0.7071 + 0.7071) / 3 = 0.4714
    }

    [Fact]
    public void Copies_of_one_item_are_not_paired_with_each_other()
    {
        // e1 twice and e2 once: the only pairs of distinct items are (e1, e2), cos 0 — not (e1, e1) with cos 1.
        var mean = PairwiseCosine.Mean(Rows, 2, [0, 1, 2], [2, 1, 0], new double[2]);
        Assert.Equal(0.0, mean, 6);
        Assert.True(double.IsNaN(PairwiseCosine.Mean(Rows, 2, [0, 1, 2], [3, 0, 0], new double[2])));
        Assert.True(double.IsNaN(PairwiseCosine.Mean(Rows, 2, [2], null, new double[2])));
    }

    [Fact]
    public void Normalised_scales_rows_to_unit_length_and_keeps_zero_rows()
    {
        var rows = PairwiseCosine.Normalised([3, 4, 0, 0], 2);
        Assert.Equal([0.6f, 0.8f, 0f, 0f], rows);
    }
}
