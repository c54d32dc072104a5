using MlNetIso.Benchmarks.Study;

namespace MlNetIso.Benchmarks.Tests;

public class LayerStatisticsTests
{
    [Fact]
    public void Dc_share_is_one_for_equal_states_and_zero_for_states_that_cancel()
    {
        Assert.Equal(1.0, LayerStatistics.DcShare([1, 2, 1, 2, 1, 2], 3, 2), 6);
        Assert.Equal(0.0, LayerStatistics.DcShare([1, 0, -1, 0], 2, 2), 6);
        // h = (1,0), (0,1): mean (½,½), ‖mean‖² = ½, mean ‖h‖² = 1.
        Assert.Equal(0.5, LayerStatistics.DcShare([1, 0, 0, 1], 2, 2), 6);
    }

    [Fact]
    public void Entropy_is_one_for_uniform_and_zero_for_one_hot_attention()
    {
        const int n = 4;
        var uniform = Enumerable.Repeat(0.25f, 2 * n * n).ToArray();
        Assert.Equal(1.0, LayerStatistics.NormalisedEntropy(uniform, 2, n), 5);
        var identity = new float[n * n];
        for (var i = 0; i < n; i++) identity[i * n + i] = 1;
        Assert.Equal(0.0, LayerStatistics.NormalisedEntropy(identity, 1, n), 6);
        // Two rows of (½, ½): entropy ln 2 / ln 2 = 1.
        Assert.Equal(1.0, LayerStatistics.NormalisedEntropy([0.5f, 0.5f, 0.5f, 0.5f], 1, 2), 6);
    }

    [Fact]
    public void High_frequency_gain_is_zero_for_uniform_and_one_for_identity_attention()
    {
        const int n = 5;
        var uniform = Enumerable.Repeat(1f / n, n * n).ToArray();
        Assert.Equal(0.0, LayerStatistics.HighFrequencyGain(uniform, 1, n), 5);
        var identity = new float[n * n];
        for (var i = 0; i < n; i++) identity[i * n + i] = 1;
        Assert.Equal(1.0, LayerStatistics.HighFrequencyGain(identity, 1, n), 4); // σ_max(I − 11ᵀ/n) = 1
        // A that copies token 0 into every row: (I − 11ᵀ/n)A = 0.
        var copy = new float[n * n];
        for (var i = 0; i < n; i++) copy[i * n] = 1;
        Assert.Equal(0.0, LayerStatistics.HighFrequencyGain(copy, 1, n), 5);
    }
}
