using MlNetIso.Tools.TrainDemoEncoder;

namespace MlNetIso.Trainers.Tests.Tools.TrainDemoEncoder;

public class MaskedLanguageModelBatcherTests
{
    [Fact]
    public void Mask_Chooses15PercentOfRealTokens_With80_10_10Replacement()
    {
        const int n = 40000;
        var ids = new long[n];
        var mask = new long[n];
        var rng = new Random(1);
        for (int i = 0; i < n; i++)
        {
            ids[i] = i % 100 == 0 ? 2 : rng.Next(5, 1000); // [CLS] every 100 tokens
            mask[i] = i % 100 < 90 ? 1 : 0;              // last 10 of every 100 are padding
        }
        var original = (long[])ids.Clone();
        var specials = new HashSet<long> { 0, 1, 2, 3, 4 };
        var (positions, targets) = MaskedLanguageModelBatcher.Mask(ids, mask, 4, 5, 1000, specials, new Random(7));
        int candidates = Enumerable.Range(0, n).Count(i => mask[i] == 1 && !specials.Contains(original[i]));
        Assert.InRange(positions.Length / (double)candidates, 0.14, 0.16);
        Assert.All(positions, p => Assert.True(mask[p] == 1 && !specials.Contains(original[p])));
        Assert.Equal(positions.Select(p => original[p]), targets);
        double masked = positions.Count(p => ids[p] == 4) / (double)positions.Length;
        double kept = positions.Count(p => ids[p] == original[p]) / (double)positions.Length;
        Assert.InRange(masked, 0.78, 0.82);
        Assert.InRange(kept, 0.085, 0.12); // 10% kept plus random draws that hit the same id
        var chosen = positions.ToHashSet();
        Assert.All(Enumerable.Range(0, n).Where(i => !chosen.Contains(i)), i => Assert.Equal(original[i], ids[i]));
    }

    [Fact]
    public void Mask_AlwaysChoosesAtLeastOnePosition()
    {
        var ids = new long[] { 2, 17, 3 };
        var (positions, targets) = MaskedLanguageModelBatcher.Mask(ids, [1, 1, 1], 4, 5, 50, new HashSet<long> { 2, 3 }, new Random(0));
        Assert.Equal([1L], positions);
        Assert.Equal([17L], targets);
    }
}
