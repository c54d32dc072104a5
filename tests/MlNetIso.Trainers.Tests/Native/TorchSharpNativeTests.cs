using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Native;

/// <summary>
/// TorchSharp's native library loads (on Debian 12 only thanks to the build step in src/Trainers/Native/MlNetIso.Trainers.targets that marks
/// the GLIBCXX_3.4.32 version need weak) and autograd works.
/// </summary>
public class TorchSharpNativeTests
{
    [Fact]
    public void ForwardAndBackward_MatchAnalyticGradient()
    {
        // f(x, w) = Σ w_i x_i³ + Σ (W x)_j  ⇒  ∂f/∂x_i = 3 w_i x_i² + Σ_j W_ji
        using var x = tensor(new float[] { 0.5f, -1.5f, 2.0f }, requires_grad: true);
        using var w = tensor(new float[] { 1.0f, 2.0f, -0.5f });
        using var m = tensor(new float[] { 1f, 2f, 3f, -1f, 0.5f, 4f }, [2, 3]);
        using var f = (w * x.pow(3)).sum() + matmul(m, x).sum();
        f.backward();
        var grad = x.grad!.data<float>().ToArray();
        float[] xs = [0.5f, -1.5f, 2.0f], ws = [1.0f, 2.0f, -0.5f], colSums = [0f, 2.5f, 7f];
        for (int i = 0; i < 3; i++)
            Assert.Equal(3 * ws[i] * xs[i] * xs[i] + colSums[i], grad[i], 4);
        Assert.Equal(0.125 * 1 + -3.375 * 2 + 8 * -0.5 + (0.5 * 0 + -1.5 * 2.5 + 2 * 7), f.item<float>(), 4);
    }

    [Fact]
    public void TorchRuntime_ReportsAvailable()
    {
        MlNetIso.Trainers.Native.TorchRuntime.EnsureAvailable();
        Assert.True(MlNetIso.Trainers.Native.TorchRuntime.IsAvailable);
    }

    [Fact]
    public void TorchRuntime_LoadFailure_SaysWhatIsMissingAndHowToFix()
    {
        var cause = new TypeInitializationException("TorchSharp.torch",
            new NotSupportedException("This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64"));
        var message = MlNetIso.Trainers.Native.TorchRuntime.Explain(cause);
        Assert.Contains("TorchSharp-cpu", message);                 // what must be referenced
        Assert.Contains("GLIBCXX_3.4.32", message);                 // the usual cause on older Linux
        Assert.Contains("libLibTorchSharp.so", message);            // the file to check, and how
        Assert.Contains("ldd", message);
        Assert.Contains("MlNetIsoPatchLibTorchSharp", message);     // the switch that turns the fix off
        Assert.Contains("TypeInitializationException", message);    // the original error is kept
    }

    [LinuxFact]
    public void LibTorchSharp_InBuildOutput_HasNoHardGlibcxx3432NeedWhenSystemLacksIt()
    {
        var lib = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(lib), $"{lib} is missing from the build output");
        bool systemHas = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .Where(File.Exists).Any(p => System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(p)).Contains("GLIBCXX_3.4.32\0"));
        var flags = ElfVersionNeeds.FlagsOf(lib, "GLIBCXX_3.4.32");
        Assert.NotNull(flags); // TorchSharp-cpu 0.107 declares this need
        if (!systemHas) Assert.True((flags!.Value & 0x2) != 0, "GLIBCXX_3.4.32 need of the build-output copy is not weak.");
    }
}
