using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar.Training;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Encoders;

public class GeluFunctionTests
{
    /// <summary>Values and gradients equal libtorch's exact (erf) GELU to about a float32 ulp, over −12…12 and at 0.</summary>
    [Fact]
    public void ForwardAndBackward_MatchLibTorchsExactGelu()
    {
        using var oneThread = TorchThreads.Use(1); // the kernel serves single-threaded libtorch (I-STAR's default)
        using var g = new Generator(3);
        using var grid = linspace(-12, 12, 24001);
        using var random = randn([137, 153], generator: g) * 3;
        foreach (var values in new[] { grid, random.reshape(-1) })
        {
            using var x = values.detach().clone().requires_grad_(true);
            using var upstream = randn(x.shape, generator: g);
            using var ours = GeluFunction.Forward(x);
            using (var loss = (ours * upstream).sum()) loss.backward();
            using var ourGradient = x.grad!.clone();
            x.grad = null;
            using var theirs = nn.functional.gelu(x);
            using (var loss = (theirs * upstream).sum()) loss.backward();
            Assert.Equal(MlNetIso.Trainers.Kernels.SingleGemm.IsSupported, GeluFunction.Applies(x));
            var (a, b) = (ours.detach().data<float>().ToArray(), theirs.detach().data<float>().ToArray());
            var (ga, gb) = (ourGradient.data<float>().ToArray(), x.grad!.data<float>().ToArray());
            var xs = x.detach().data<float>().ToArray();
            var up = upstream.data<float>().ToArray();
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - b[i]) <= 4e-7 * Math.Max(1, Math.Abs(xs[i])), $"GELU({xs[i]}): {a[i]} vs {b[i]}");
                Assert.True(Math.Abs(ga[i] - gb[i]) <= 1e-6 * Math.Max(1, Math.Abs(xs[i])) * Math.Max(1, Math.Abs(up[i])),
                    $"GELU'({xs[i]}): {ga[i]} vs {gb[i]}");
            }
        }
    }
}
