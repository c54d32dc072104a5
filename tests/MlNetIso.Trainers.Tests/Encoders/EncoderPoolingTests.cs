using MlNetIso.Trainers.Encoders;
using MlNetIso.Transforms.Embedding;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Encoders;

public class EncoderPoolingTests
{
    private static Tensor Hidden() => tensor(new float[] { 1, 2, 3, 4, 100, 100, /* row 2 */ 5, 6, 7, 8, 9, 10 }, [2, 3, 2]);
    private static Tensor Mask() => tensor(new long[] { 1, 1, 0, 1, 1, 1 }, [2, 3]);

    [Fact]
    public void Mean_AveragesOnlyRealTokens()
    {
        using var h = Hidden();
        using var m = Mask();
        using var pooled = EncoderPooling.Pool(h, m, EmbeddingPooling.Mean);
        Assert.Equal([2f, 3f, 7f, 8f], pooled.data<float>().ToArray());
    }

    [Fact]
    public void Cls_TakesFirstToken_AndNormalizeGivesUnitRows()
    {
        using var h = Hidden();
        using var m = Mask();
        using var cls = EncoderPooling.Pool(h, m, EmbeddingPooling.Cls);
        Assert.Equal([1f, 2f, 5f, 6f], cls.data<float>().ToArray());
        using var unit = EncoderPooling.Pool(h, m, EmbeddingPooling.Mean, normalize: true);
        var v = unit.data<float>().ToArray();
        Assert.Equal(1.0, Math.Sqrt(v[0] * v[0] + v[1] * v[1]), 5);
        Assert.Equal(2f / 3f, v[0] / v[1], 5);
    }

    [Fact]
    public void Max_TakesElementwiseMaximumOfRealTokensOnly()
    {
        using var h = Hidden();
        using var m = Mask();
        using var max = EncoderPooling.Pool(h, m, EmbeddingPooling.Max);
        // Row 1's padding position holds 100s, which must not win.
        Assert.Equal([3f, 4f, 9f, 10f], max.data<float>().ToArray());
    }
}
