using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Extensions.AI;

/// <summary>
/// The encoder of a <see cref="TempScaleEmbeddingGenerator"/>, resolved from its options through
/// <see cref="EncoderFolder.Open(string, string?)"/>: the folder (a built-in name's materialised one, or the user's) lends its
/// sentence-transformers conventions (pooling, normalisation, sequence length, query/document prompts) to the settings left
/// unset; the result is one loaded <see cref="TextEmbedder"/> (one ONNX Runtime session) shared by every
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
        // Built-in names and folders resolve in the one place that knows them; the folder's sentence-transformers
        // files supply the pooling, normalisation, length and prompts the options leave unset.
        var folder = EncoderFolder.Open(options.Model, options.CacheFolder);
        var conventions = folder.SentenceTransformers;
        var queryPrefix = options.QueryPrefix ?? conventions?.QueryPrompt ?? "";
        var documentPrefix = options.DocumentPrefix ?? conventions?.DocumentPrompt ?? "";
        var embedding = new TempScaleEmbeddingOptions
        {
            ModelPath = folder.ModelPath,
            Temperature = options.Temperature,
            Pooling = options.Pooling,
            Normalize = options.Normalize,
            MaxTokens = options.MaxTokens,
            // The generator puts each request's prefix (query or document) in front of its texts itself.
            Prefix = "",
            LongText = options.LongText,
            ChunkOverlap = options.ChunkOverlap,
            BatchSize = options.EncoderBatchSize ?? options.MaxBatchSize,
            IntraOpThreads = options.IntraOpThreads,
            ExecutionProvider = options.ExecutionProvider,
            GpuDeviceId = options.GpuDeviceId,
        };
        var package = EncoderPackage.FromOptions(embedding);
        if ((queryPrefix.Length > 0 || documentPrefix.Length > 0) && conventions is { IncludePrompt: false }
            && package.Settings.Pooling != EmbeddingPooling.Cls)
            throw new NotSupportedException(
                $"Encoder '{folder.Folder}': its pooling module sets include_prompt = false (pool the text's tokens without the " +
                "prompt's), which the generator does not implement for mean or max pooling; set QueryPrefix and DocumentPrefix " +
                "to \"\" to embed without the prompts, or use CLS pooling.");
        var embedder = new TextEmbedder(package);
        var modelId = options.ModelId ?? folder.BuiltIn?.Name ?? Path.GetFileName(folder.Folder);
        return new GeneratorEncoder(embedder, modelId, queryPrefix, documentPrefix);
    }

    public void Dispose() => Embedder.Dispose();
}
