using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>Seeded re-initialisation of linear layers, independent of TorchSharp's global random state.</summary>
internal static class LinearInit
{
    /// <summary>Draws weight and bias of <paramref name="layer"/> from U(−1/√fan_in, 1/√fan_in) using <paramref name="generator"/>.</summary>
    public static void Reset(Linear layer, Generator generator)
    {
        using var _ = no_grad();
        double bound = 1.0 / Math.Sqrt(layer.weight!.shape[1]);
        nn.init.uniform_(layer.weight, -bound, bound, generator);
        if (layer.bias is not null) nn.init.uniform_(layer.bias, -bound, bound, generator);
    }
}
