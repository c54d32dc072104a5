using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Extensions.AI;

/// <summary>
/// The encoder of a <see cref="TempScaleEmbeddingGenerator"/>, resolved from its options: a built-in name becomes its
/// materialised folder and lends its conventions (pooling, normalisation, sequence length, query/document prefixes) to the
/// settings left unset; the result is one loaded <see cref="TextEmbedder"/> (one ONNX Runtime session) shared by every
/// request, with the prefix of each text kind.
/// </summary>
internal sealed class GeneratorEncoder : IDisposable
{
    private GeneratorEncoder(TextEmbedder embedder, string modelId, string queryPrefix, string documentPrefix)
    {
        Embedder = embedder;
        ModelId = modelId;
        QueryPrefix = queryPrefix;
        DocumentPrefix = documentPrefix;
    }

    public TextEmbedder Embedder { get; }

    public string ModelId { get; }

    public string QueryPrefix { get; }

    public string DocumentPrefix { get; }

    /// <summary>The prefix put in front of texts of <paramref name="kind"/>.</summary>
    public string Prefix(EmbeddingTextKind kind) => kind == EmbeddingTextKind.Query ? QueryPrefix : DocumentPrefix;

    /// <summary>Loads the encoder <paramref name="options"/> name (validated first; every error names the setting or file).</summary>
    public static GeneratorEncoder Load(TempScaleEmbeddingGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builtIn = ResolveBuiltIn(options.Model);
        var path = builtIn is null ? options.Model : BuiltInEncoders.Materialize(builtIn.Name, options.CacheFolder);
        var embedding = new TempScaleEmbeddingOptions
        {
            ModelPath = path,
            Temperature = options.Temperature,
            Pooling = options.Pooling ?? builtIn?.Pooling ?? EmbeddingPooling.Mean,
            Normalize = options.Normalize ?? builtIn?.Normalize ?? true,
            MaxTokens = options.MaxTokens ?? builtIn?.MaxSequenceLength,
            LongText = options.LongText,
            ChunkOverlap = options.ChunkOverlap,
            BatchSize = options.EncoderBatchSize ?? options.MaxBatchSize,
            IntraOpThreads = options.IntraOpThreads,
            ExecutionProvider = options.ExecutionProvider,
            GpuDeviceId = options.GpuDeviceId,
        };
        var package = EncoderPackage.FromOptions(embedding);
        var embedder = new TextEmbedder(package);
        var modelId = options.ModelId
                      ?? builtIn?.Name
                      ?? Path.GetFileName(EncoderFolder.Open(path).Folder);
        return new GeneratorEncoder(embedder, modelId,
            options.QueryPrefix ?? builtIn?.QueryPrefix ?? "",
            options.DocumentPrefix ?? builtIn?.DocumentPrefix ?? "");
    }

    /// <summary>The built-in encoder <paramref name="model"/> names, unless an existing file or folder has that name.</summary>
    private static BuiltInEncoder? ResolveBuiltIn(string model) =>
        !File.Exists(model) && !Directory.Exists(model) && BuiltInEncoders.TryGet(model, out var encoder) ? encoder : null;

    public void Dispose() => Embedder.Dispose();
}
