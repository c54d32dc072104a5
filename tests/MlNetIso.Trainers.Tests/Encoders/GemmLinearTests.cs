using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar.Training;
using MlNetIso.Trainers.Kernels;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Encoders;

public class GemmLinearTests
{
    /// <summary>Output and the gradients of x, W and b equal libtorch's linear layer to float32 rounding.</summary>
    [Theory]
    [InlineData(new long[] { 16, 30, 40 }, 24)]
    [InlineData(new long[] { 300, 130 }, 70)]
    public void ForwardAndBackward_MatchLibTorchsLinear(long[] inputShape, int outputs)
    {
        using var oneThread = TorchThreads.Use(1); // the kernel serves single-threaded libtorch (I-STAR's default)
        using var g = new Generator(9);
        using var linear = nn.Linear(inputShape[^1], outputs);
        using var x = randn(inputShape, generator: g).requires_grad_(true);
        using var upstream = randn([.. inputShape[..^1], outputs], generator: g);

        using var ours = GemmLinear.Forward(linear, x);
        using (var loss = (ours * upstream).sum()) loss.backward();
        var (oursGx, oursGw, oursGb) = (x.grad!.clone(), linear.weight!.grad!.clone(), linear.bias!.grad!.clone());
        x.grad = null;
        linear.weight!.grad = null;
        linear.bias!.grad = null;

        using var theirs = linear.forward(x);
        using (var loss = (theirs * upstream).sum()) loss.backward();
        Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-5));
        Assert.True(oursGx.allclose(x.grad!, rtol: 1e-5, atol: 1e-5));
        Assert.True(oursGw.allclose(linear.weight!.grad!, rtol: 1e-5, atol: 1e-4));
        Assert.True(oursGb.allclose(linear.bias!.grad!, rtol: 1e-5, atol: 1e-4));
        Assert.Equal(SingleGemm.IsSupported, GemmLinear.Applies(linear, x)); // the custom product was the one compared
    }

    [Fact]
    public void WithMoreLibTorchThreads_OrASingleShortRow_ItIsLibTorchsOwnProduct()
    {
        using var linear = nn.Linear(128, 8);
        using var x = randn(128, 128);
        using var row = randn(10, 128); // one short row, as PredictionEngine scores: below CpuKernels.MinimumElements
        using (TorchThreads.Use(2)) Assert.False(GemmLinear.Applies(linear, x));
        using (TorchThreads.Use(1))
        {
            Assert.Equal(MlNetIso.Trainers.Kernels.SingleGemm.IsSupported, GemmLinear.Applies(linear, x));
            Assert.False(GemmLinear.Applies(linear, row));
        }
    }

    [Fact]
    public void WithoutGradients_ItIsThePlainProduct()
    {
        using var oneThread = TorchThreads.Use(1);
        using var linear = nn.Linear(128, 8);
        using var x = randn(200, 128);
        using var _ = no_grad();
        using var ours = GemmLinear.Forward(linear, x);
        using var theirs = linear.forward(x);
        Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-6));
    }
}
