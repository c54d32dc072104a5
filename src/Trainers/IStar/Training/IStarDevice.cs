using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>Resolves the <see cref="IStarOptions.Device"/> string to a TorchSharp device.</summary>
internal static class IStarDevice
{
    /// <summary>"cpu" → CPU; "cuda" → CUDA when available, otherwise a clear error.</summary>
    public static Device Resolve(string name)
    {
        if (string.Equals(name, "cpu", StringComparison.OrdinalIgnoreCase)) return CPU;
        if (string.Equals(name, "cuda", StringComparison.OrdinalIgnoreCase))
        {
            if (!cuda.is_available())
                throw new InvalidOperationException(
                    "IStarOptions.Device is 'cuda' but TorchSharp reports no CUDA device (this library references TorchSharp-cpu). Use Device = \"cpu\".");
            return CUDA;
        }
        throw new ArgumentOutOfRangeException(nameof(name), name, "IStarOptions.Device must be \"cpu\" or \"cuda\".");
    }
}
