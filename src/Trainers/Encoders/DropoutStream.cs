using MlNetIso.Trainers.Kernels;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// The random stream of one encoder's dropout layers: a seed and a count of masks drawn. The n-th mask drawn after
/// <see cref="Reseed"/> has key <c>SplitMix64(seed, n)</c> (<see cref="DropoutMask.Key"/>), so training with a fixed
/// seed draws the same masks in the same order on every run, independently of libtorch's global generator.
/// </summary>
internal sealed class DropoutStream
{
    private ulong seed;
    private ulong calls;

    /// <summary>A stream with the given seed.</summary>
    public DropoutStream(ulong seed = 0) => this.seed = seed;

    /// <summary>Restarts the stream from <paramref name="newSeed"/>.</summary>
    public void Reseed(ulong newSeed)
    {
        seed = newSeed;
        calls = 0;
    }

    /// <summary>The key of the next mask.</summary>
    public ulong NextKey() => DropoutMask.Key(seed, calls++);
}
