using TorchSharp;

namespace MlNetIso.Trainers.Native;

/// <summary>
/// Checks that TorchSharp's native libraries load, and turns TorchSharp's misleading failure ("doesn't contain a
/// reference to libtorch-cpu-linux-x64") into an explanation. The trainer calls <see cref="EnsureAvailable"/> at the
/// start of <c>Fit</c> and when a packaged I-STAR model is loaded, so a failure names what is missing and how to fix it.
/// On Linux systems whose libstdc++ is older than GCC 13 (e.g. Debian 12, GLIBCXX_3.4.30), <c>libLibTorchSharp.so</c>
/// only loads after the MSBuild step that the MlNetIso.Trainers package ships (buildTransitive/MlNetIso.Trainers.targets)
/// has marked its GLIBCXX_3.4.32 version need weak in the app's build or publish output.
/// </summary>
internal static class TorchRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad);

    /// <summary>True when TorchSharp and libtorch are loaded and a tensor can be created.</summary>
    public static bool IsAvailable => LoadFailure.Value is null;

    /// <summary>Throws <see cref="InvalidOperationException"/> with a diagnosis when TorchSharp cannot load.</summary>
    public static void EnsureAvailable()
    {
        var failure = LoadFailure.Value;
        if (failure is null) return;
        throw new InvalidOperationException(Explain(failure), failure);
    }

    /// <summary>The diagnosis for a load failure: what is missing and how to fix it.</summary>
    internal static string Explain(Exception failure) =>
        "TorchSharp (libtorch CPU) could not be loaded, so I-STAR cannot train or score. Check, in this order: " +
        "(1) the app references TorchSharp-cpu through MlNetIso.Trainers (a PackageReference, so its native files " +
        "runtimes/<rid>/native/libtorch*.so and libLibTorchSharp.so are in the output folder); " +
        "(2) on Linux with a libstdc++ older than GCC 13 (no GLIBCXX_3.4.32, e.g. Debian 12): the app was built or " +
        "published with 'dotnet build'/'dotnet publish', whose MlNetIso.Trainers step marks that need weak in the output " +
        "copy of libLibTorchSharp.so (it is skipped when MlNetIsoPatchLibTorchSharp=false, and files copied by other means " +
        "are not patched); check with: ldd <output>/runtimes/linux-x64/native/libLibTorchSharp.so. " +
        $"Original error: {failure.GetType().Name}: {failure.Message}";

    private static Exception? TryLoad()
    {
        try
        {
            using var probe = torch.ones(2);
            return probe.sum().item<float>() == 2f ? null : new InvalidOperationException("libtorch returned a wrong sum.");
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException or EntryPointNotFoundException)
        {
            return e;
        }
    }
}
