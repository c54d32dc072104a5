namespace MlNetIso.Transforms.Tests;

public class SkeletonTests
{
    [Fact]
    public void ConfigRoundTrips()
    {
        var path = Path.GetTempFileName();
        new Encoders.BertConfig { HiddenSize = 64, NumAttentionHeads = 4 }.Save(path);
        Assert.Equal(16, Encoders.BertConfig.Load(path).HeadSize);
    }
}
