using System.IO.Compression;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>Builds the network of each I-STAR mode: seeded for training, or empty for loading saved weights.</summary>
internal static class IStarNetworkFactory
{
    /// <summary>The spec of a model trained with <paramref name="options"/> on data of <paramref name="schema"/>.</summary>
    public static IStarModelSpec Describe(IStarOptions options, DataViewSchema schema, IStarLabels labels) => new()
    {
        Mode = IStarModelSpec.HeadOnlyMode,
        InputColumnName = options.FeatureColumnName!,
        InputSize = new HeadOnlyInput(options.FeatureColumnName!).Dimension(schema),
        HiddenSize = options.HiddenSize,
        MaxTokens = options.MaxTokens,
        Layers = options.Layers,
        ExcludePadding = options.ExcludePadding,
        ClassNames = labels.ClassNames.ToList(),
        HasKeyValues = labels.HasKeyValues,
        ScoreColumnName = options.ScoreColumnName,
        PredictedLabelColumnName = options.PredictedLabelColumnName,
        Zeta = options.Zeta,
        BatchSize = options.BatchSize,
        Device = options.Device,
    };

    /// <summary>A freshly initialised network for <paramref name="spec"/>, seeded by <paramref name="seed"/>, on <paramref name="device"/>.</summary>
    public static IStarNetwork Create(IStarModelSpec spec, int seed, Device device)
    {
        using var generator = new Generator((ulong)(uint)seed);
        IStarNetwork network = new HeadOnlyNetwork(spec.InputSize, spec.HiddenSize, spec.ClassNames.Count, generator);
        return network.to(device);
    }

    /// <summary>A network shaped like the saved one (its weights are loaded by the caller).</summary>
    public static IStarNetwork Rebuild(IStarModelSpec spec, ZipArchive zip, string folder, string source)
    {
        if (spec.Mode != IStarModelSpec.HeadOnlyMode)
            throw new InvalidDataException($"'{source}': unknown I-STAR mode '{spec.Mode}' in {folder}.");
        return Create(spec, 0, CPU);
    }
}
