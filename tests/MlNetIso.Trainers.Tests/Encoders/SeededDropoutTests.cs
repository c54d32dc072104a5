using MlNetIso.Trainers.Encoders;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Encoders;

public class SeededDropoutTests
{
    [Fact]
    public void Training_DropsAboutP_ScalesTheRest_AndTheGradientIsTheMask()
    {
        using var dropout = new SeededDropout(0.25, new DropoutStream(3));
        dropout.train();
        using var x = ones([64, 50], requires_grad: true);
        using var y = dropout.Forward(x);
        var values = y.detach().data<float>().ToArray();
        Assert.All(values, v => Assert.True(v == 0f || Math.Abs(v - 1 / 0.75f) < 1e-6f));
        double dropped = values.Count(v => v == 0) / (double)values.Length;
        Assert.InRange(dropped, 0.20, 0.30);
        y.sum().backward();
        Assert.Equal(values, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Evaluation_AndZeroProbability_PassTheInputThrough_AndOneDropsEverything()
    {
        using var x = randn(8, 16);
        using var eval = new SeededDropout(0.5, new DropoutStream(1));
        eval.eval();
        using var y = eval.Forward(x);
        Assert.Equal(x.data<float>().ToArray(), y.data<float>().ToArray());
        using var none = new SeededDropout(0, new DropoutStream(1));
        none.train();
        using var z = none.Forward(x);
        Assert.Equal(x.data<float>().ToArray(), z.data<float>().ToArray());
        using var all = new SeededDropout(1, new DropoutStream(1));
        all.train();
        using var dropped = all.Forward(x);
        Assert.All(dropped.data<float>().ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededDropout(1.5, new DropoutStream()));
    }

    [Fact]
    public void EncoderInTraining_IsReproducibleForASeed_AndChangesWithIt()
    {
        var config = TinyConfigs.Config(layers: 2); // BERT's dropout: 0.1 on hidden states and attention probabilities
        var b = TinyConfigs.Batch(config.VocabSize, [6, 4, 5], 4);
        float[] Run(ulong seed)
        {
            using var e = TinyConfigs.Encoder(config, 1);
            e.train();
            e.Dropout.Reseed(seed);
            using var ids = tensor(b.Ids, b.Shape);
            using var mask = tensor(b.Mask, b.Shape);
            using var first = e.Forward(ids, mask);
            using var second = e.Forward(ids, mask); // the stream moves on: a second pass draws new masks
            Assert.NotEqual(first.HiddenStates[^1].data<float>().ToArray(), second.HiddenStates[^1].data<float>().ToArray());
            return first.HiddenStates[^1].data<float>().ToArray();
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }
}
