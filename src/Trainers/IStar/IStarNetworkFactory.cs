using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>Builds the seeded network of the mode selected by the options.</summary>
internal static class IStarNetworkFactory
{
    /// <summary>A freshly initialised network on <paramref name="device"/>.</summary>
    public static IStarNetwork Create(IStarOptions options, DataViewSchema schema, int classCount, int seed, Device device)
    {
        using var generator = new Generator((ulong)(uint)seed);
        var input = new HeadOnlyInput(options.FeatureColumnName!);
        IStarNetwork network = new HeadOnlyNetwork(input.Dimension(schema), options.HiddenSize, classCount, generator);
        return network.to(device);
    }
}
