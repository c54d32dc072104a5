using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Model;

/// <summary>Seeded re-initialisation of linear layers, independent of TorchSharp's global random state.</summary>
internal static class LinearInit
{
    /// <summary>Draws weight and bias of <paramref name="layer"/> from U(−1/√fan_in, 1/√fan_in) using <paramref name="generator"/>.</summary>
    public static void Reset(Linear layer, Generator generator)
    {
        using var _ = no_grad();
        double bound = 1.0 / Math.Sqrt(layer.weight!.shape[1]);
        layer.weight.uniform_(-bound, bound, generator);
        layer.bias?.uniform_(-bound, bound, generator);
    }
}
