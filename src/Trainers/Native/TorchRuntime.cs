using TorchSharp;

namespace MlNetIso.Trainers.Native;

/// <summary>
/// Checks that TorchSharp's native libraries load, and turns TorchSharp's misleading failure ("doesn't contain a
/// reference to libtorch-cpu-linux-x64") into an explanation. On Linux systems whose libstdc++ is older than GCC 13
/// (e.g. Debian 12, GLIBCXX_3.4.30), <c>libLibTorchSharp.so</c> only loads after the repository's build step
/// (Directory.Build.targets) has marked its GLIBCXX_3.4.32 version need weak in the build output.
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
        throw new InvalidOperationException(
            "TorchSharp (libtorch CPU) could not be loaded. On Linux this usually means libLibTorchSharp.so needs " +
            "GLIBCXX_3.4.32 and the system libstdc++ is older: build the project with 'dotnet build' (the MSBuild step in " +
            "Directory.Build.targets marks that need weak in the build output; it is skipped when the system already " +
            "has GLIBCXX_3.4.32). Check with: ldd bin/<config>/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so. " +
            $"Original error: {failure.GetType().Name}: {failure.Message}", failure);
    }

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
