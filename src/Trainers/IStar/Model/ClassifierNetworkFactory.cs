using Microsoft.ML;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Labels;
using MlNetIso.Transforms.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Model;

/// <summary>Describes and builds the network of each I-STAR mode: seeded for training, or shaped for loading saved weights.</summary>
internal static class ClassifierNetworkFactory
{
    /// <summary>
    /// The mode-specific part of a spec, known before training: the input column, and in fine-tune mode the encoder
    /// config, vocabulary and casing read from <see cref="IStarOptions.EncoderPath"/>; and the task with its format version.
    /// </summary>
    public static IStarModelSpec Prototype(IStarOptions options, IStarTask task) => Prototype(options, task, OpenEncoder(options));

    /// <summary>
    /// The encoder of a fine-tune trainer, opened (a built-in name materialised) through the folder contract; null in
    /// head-only mode.
    /// </summary>
    public static EncoderFolder? OpenEncoder(IStarOptions options) =>
        options.FeatureColumnName is { Length: > 0 } ? null : EncoderFolder.Open(options.EncoderPath!);

    /// <summary><see cref="Prototype(IStarOptions, IStarTask)"/> with the encoder already opened.</summary>
    public static IStarModelSpec Prototype(IStarOptions options, IStarTask task, EncoderFolder? encoder)
    {
        var spec = new IStarModelSpec
        {
            Version = task.SpecVersion,
            Task = task.Name,
            Mode = options.FeatureColumnName is { Length: > 0 } ? IStarMode.HeadOnly : IStarMode.FineTune,
            InputColumnName = options.FeatureColumnName is { Length: > 0 } f ? f : options.TextColumnName!,
            HiddenSize = options.HiddenSize,
            MaxTokens = options.MaxTokens,
            Layers = options.Layers,
            ExcludePadding = options.ExcludePadding,
            ScoreColumnName = options.ScoreColumnName,
            ProbabilityColumnName = options.ProbabilityColumnName,
            PredictedLabelColumnName = options.PredictedLabelColumnName,
            Zeta = options.Zeta,
            BatchSize = options.BatchSize,
            Device = options.Device,
        };
        if (spec.Mode == IStarMode.FineTune)
        {
            var folder = encoder ?? throw new ArgumentNullException(nameof(encoder), "Fine-tune mode needs the encoder folder.");
            DescribeEncoder(spec, folder);
            if (options.MaxTokens > spec.Encoder!.MaxPositionEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(options.MaxTokens), options.MaxTokens,
                    $"IStarOptions.MaxTokens ({options.MaxTokens}) exceeds the {spec.Encoder.MaxPositionEmbeddings} positions of the encoder " +
                    $"(max_position_embeddings in '{folder.ConfigPath}'); set MaxTokens to at most {spec.Encoder.MaxPositionEmbeddings}.");
        }
        return spec;
    }

    /// <summary>
    /// Fills the fine-tune fields of <paramref name="spec"/> from the encoder folder: its BERT config, vocabulary and
    /// tokenizer casing (both <c>do_lower_case</c> and <c>strip_accents</c>, read as the embedding transform reads them).
    /// </summary>
    private static void DescribeEncoder(IStarModelSpec spec, EncoderFolder folder)
    {
        // An ONNX export without config.json gets its config from the import of its weights.
        spec.Encoder = (folder.HasConfig ? folder : folder.EnsureWeights()).LoadBertConfig();
        spec.Vocabulary = folder.ReadVocabulary();
        var tokenizer = folder.Tokenizer.ToTokenizerOptions();
        spec.LowerCase = tokenizer.LowerCase;
        spec.StripAccents = tokenizer.StripAccents;
    }

    /// <summary>The complete spec once the training data's schema and classes are known.</summary>
    public static IStarModelSpec Describe(IStarModelSpec prototype, DataViewSchema schema, IStarLabels labels)
    {
        var spec = (IStarModelSpec)prototype.Clone();
        if (spec.Mode == IStarMode.HeadOnly) spec.InputSize = new HeadOnlyInput(spec.InputColumnName).Dimension(schema);
        spec.ClassNames = labels.ClassNames.ToList();
        spec.HasKeyValues = labels.HasKeyValues;
        return spec;
    }

    /// <summary>
    /// A network for training: head-only → a seeded MLP; fine-tune → the pretrained encoder of
    /// <paramref name="encoder"/> (its weights imported from model.onnx once when it has no model.safetensors) plus a
    /// seeded linear head. Moved to <paramref name="device"/>.
    /// </summary>
    public static ClassifierNetwork CreateForTraining(IStarModelSpec spec, EncoderFolder? encoder, int seed, Device device)
    {
        using var generator = new Generator((ulong)(uint)seed);
        ClassifierNetwork network = spec.Mode == IStarMode.HeadOnly
            ? new HeadOnlyNetwork(spec.InputSize, spec.HiddenSize, spec.ClassNames.Count, generator)
            : new FineTuneNetwork(
                BertCheckpoint.LoadFolder((encoder ?? throw new ArgumentNullException(nameof(encoder), "Fine-tune mode needs the encoder folder.")).EnsureWeights()),
                spec.ClassNames.Count, spec.Layers, spec.ExcludePadding, generator);
        return MoveTo(network, device);
    }

    /// <summary>Moves <paramref name="network"/> to <paramref name="device"/> (nothing to do for the CPU, where modules are built).</summary>
    public static ClassifierNetwork MoveTo(ClassifierNetwork network, Device device) =>
        device.type == DeviceType.CPU ? network : network.to(device);

    /// <summary>A network shaped like a saved one, on the CPU; the caller loads the weights.</summary>
    public static ClassifierNetwork CreateForLoading(IStarModelSpec spec, string source)
    {
        using var generator = new Generator(0);
        return spec.Mode switch
        {
            IStarMode.HeadOnly => new HeadOnlyNetwork(spec.InputSize, spec.HiddenSize, spec.ClassNames.Count, generator),
            IStarMode.FineTune => new FineTuneNetwork(
                new BertEncoder(spec.Encoder ?? throw new InvalidDataException($"'{source}': the fine-tune I-STAR step has no encoder config.")),
                spec.ClassNames.Count, spec.Layers, spec.ExcludePadding, generator),
            _ => throw new InvalidDataException($"'{source}': unknown I-STAR mode '{spec.Mode}'."),
        };
    }
}
