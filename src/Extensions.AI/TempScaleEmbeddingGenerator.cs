using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Extensions.AI;

/// <summary>
/// A Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over MlNetIso's TempScale embedding
/// engine: texts are tokenised with the encoder's WordPiece vocabulary, run through an ONNX BERT-family encoder whose
/// self-attention computes softmax((QKᵀ/√d + M)/τ) (TempScale, Zhou et al., arXiv 2410.24200; τ = 1 leaves the encoder
/// unchanged), pooled and by default L2-normalised — the same vectors as the <c>ApplyTempScaleEmbedding</c> transform.
/// </summary>
/// <remarks>
/// <para>Thread-safe; one ONNX Runtime session serves every caller, each request on its caller's thread. With
/// <see cref="TempScaleEmbeddingGeneratorOptions.MicroBatching"/> on, concurrent requests are gathered into shared ONNX Runtime batches of up to
/// <see cref="TempScaleEmbeddingGeneratorOptions.MaxBatchSize"/> texts, waiting at most
/// <see cref="TempScaleEmbeddingGeneratorOptions.MaxBatchDelay"/> for a batch to fill; each caller gets its own rows,
/// and a request that fails fails only its caller.</para>
/// <para>Query or document: set <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>[<see cref="TextKindPropertyName"/>]
/// to <c>"query"</c> or <c>"document"</c> (or an <see cref="EmbeddingTextKind"/>), e.g. with
/// <see cref="EmbeddingTextKindOptions.WithTextKind"/>; the prefix of that kind is put in front of every text
/// (snowflake-arctic-embed-xs queries get its instruction prompt).</para>
/// <para>Cancellation: a request cancelled while it waits is never run; one cancelled while its batch runs completes as
/// cancelled at once and its vectors are dropped (ONNX Runtime does not stop a running batch).</para>
/// </remarks>
public sealed class TempScaleEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name in <see cref="EmbeddingGeneratorMetadata.ProviderName"/>.</summary>
    public const string ProviderName = "MlNetIso.TempScale";

    /// <summary>
    /// Key of <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> that says what the texts are: <c>"query"</c> or
    /// <c>"document"</c> (any case), or an <see cref="EmbeddingTextKind"/> value.
    /// </summary>
    public const string TextKindPropertyName = "input_type";

    private readonly GeneratorEncoder _encoder;
    private readonly BlockEmbedder _embedder;
    private readonly EmbeddingBatcher? _batcher;
    private readonly ConcurrentBag<EmbedderWorkspace> _workspaces = [];
    private readonly EmbeddingTextKind _defaultKind;
    private readonly Func<EmbeddingTextKind, string> _prefix;
    private int _disposed;

    /// <summary>Loads the encoder named by <paramref name="options"/> (a built-in name or a path) and starts the batcher.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The encoder's model or vocabulary is missing; the message names the file.</exception>
    /// <exception cref="InvalidDataException">The encoder files are not a usable encoder; the message names the file.</exception>
    public TempScaleEmbeddingGenerator(TempScaleEmbeddingGeneratorOptions options, ILogger<TempScaleEmbeddingGenerator>? logger = null)
        : this(options, GeneratorEncoder.Load(options), wrap: null, logger)
    {
    }

    /// <summary>For tests: the real encoder's block embedding passed through <paramref name="wrap"/> (e.g. to inject failures).</summary>
    internal TempScaleEmbeddingGenerator(TempScaleEmbeddingGeneratorOptions options, Func<EmbedBlock, EmbedBlock> wrap,
        ILogger<TempScaleEmbeddingGenerator>? logger = null)
        : this(options, GeneratorEncoder.Load(options), wrap, logger)
    {
    }

    private TempScaleEmbeddingGenerator(TempScaleEmbeddingGeneratorOptions options, GeneratorEncoder encoder,
        Func<EmbedBlock, EmbedBlock>? wrap, ILogger? logger)
    {
        _encoder = encoder;
        _defaultKind = options.DefaultTextKind;
        _prefix = encoder.Prefix;
        EmbedBlock embed = encoder.Embedder.Embed;
        _embedder = new BlockEmbedder(encoder.Embedder.Dimension, wrap is null ? embed : wrap(embed));
        logger ??= NullLogger<TempScaleEmbeddingGenerator>.Instance;
        if (options.MicroBatching)
            _batcher = new EmbeddingBatcher(_embedder, options.MaxBatchSize, options.MaxBatchDelay, options.QueueCapacity, logger);
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, encoder.ModelId, encoder.Embedder.Dimension);
        Temperature = encoder.Embedder.Settings.Temperature;
        logger.LogInformation(
            "TempScale embedding generator: model {ModelId} ({Path}), {Dimensions} dimensions, τ = {Temperature}, micro-batching {Batching}.",
            encoder.ModelId, encoder.Embedder.Package.ModelName, encoder.Embedder.Dimension, Temperature,
            options.MicroBatching ? $"up to {options.MaxBatchSize} texts, {options.MaxBatchDelay.TotalMilliseconds} ms" : "off");
    }

    /// <summary>Provider name, model id and dimensions.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>Width d of every embedding.</summary>
    public int Dimensions => _embedder.Dimension;

    /// <summary>The model id reported on every embedding.</summary>
    public string ModelId => Metadata.DefaultModelId!;

    /// <summary>The attention temperature τ the encoder runs at.</summary>
    public float Temperature { get; }

    /// <summary>Full path of the encoder's <c>model.onnx</c> (a built-in name's materialised folder).</summary>
    public string ModelPath => _encoder.Embedder.Package.ModelName;

    /// <summary>The pooling applied to the token states (the option, else the encoder's convention).</summary>
    public EmbeddingPooling Pooling => _encoder.Embedder.Settings.Pooling;

    /// <summary>Whether embeddings have unit L2 norm.</summary>
    public bool Normalize => _encoder.Embedder.Settings.Normalize;

    /// <summary>Longest token sequence fed to the encoder, [CLS] and [SEP] included.</summary>
    public int MaxTokens => _encoder.Embedder.Settings.MaxTokens;

    /// <summary>
    /// Settings of the TempScale embedding transform that produce this generator's vectors for texts without a prefix (same
    /// encoder, τ, pooling, normalisation and length), e.g. to put the same embedding in front of a trainer in an ML.NET
    /// pipeline. The transform applies no prefix: a non-empty document prefix must be put in front of its texts.
    /// </summary>
    public TempScaleEmbeddingOptions ToTransformOptions() => new()
    {
        ModelPath = ModelPath,
        Temperature = Temperature,
        Pooling = Pooling,
        Normalize = Normalize,
        MaxTokens = MaxTokens,
        LongText = _encoder.Embedder.Settings.LongText,
        ChunkOverlap = _encoder.Embedder.Settings.ChunkOverlap,
    };

    /// <summary>The prefix put in front of texts of <paramref name="kind"/> (empty for none).</summary>
    public string PrefixOf(EmbeddingTextKind kind) => _prefix(kind);

    /// <summary>Batches run by the micro-batcher so far (0 without micro-batching).</summary>
    internal long BatchesRun => _batcher?.Batches ?? 0;

    /// <summary>Texts embedded by the micro-batcher so far.</summary>
    internal long BatchedTexts => _batcher?.EmbeddedTexts ?? 0;

    /// <summary>Embeds <paramref name="values"/>, one embedding per text in input order.</summary>
    /// <exception cref="ArgumentException">A text is null, the text kind is unknown, or the options ask for another model.</exception>
    /// <exception cref="NotSupportedException">The options ask for a dimension count other than <see cref="Dimensions"/>.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var prefix = _prefix(TextKindOf(options));
        CheckOptions(options);
        var texts = Prefixed(values, prefix);
        if (texts.Length == 0) return [];

        var result = _batcher is null
            ? EmbedDirect(texts, cancellationToken)
            : await _batcher.EmbedAsync(texts, cancellationToken).ConfigureAwait(false);

        var d = _embedder.Dimension;
        var created = DateTimeOffset.UtcNow;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(texts.Length)
        {
            Usage = new UsageDetails { InputTokenCount = result.TokenCount, TotalTokenCount = result.TokenCount },
        };
        for (var i = 0; i < texts.Length; i++)
            embeddings.Add(new Embedding<float>(result.Vectors.AsMemory(i * d, d)) { ModelId = ModelId, CreatedAt = created });
        return embeddings;
    }

    /// <summary>Runs one request on the caller's thread (micro-batching off).</summary>
    private EmbeddedTexts EmbedDirect(string[] texts, CancellationToken cancellationToken)
    {
        var workspace = _workspaces.TryTake(out var w) ? w : new EmbedderWorkspace();
        try
        {
            var vectors = new float[texts.Length * _embedder.Dimension];
            var tokens = new int[texts.Length];
            _embedder.Embed(texts, vectors, tokens, workspace);
            cancellationToken.ThrowIfCancellationRequested();
            return new EmbeddedTexts(vectors, tokens.Sum(t => (long)t));
        }
        finally
        {
            _workspaces.Add(workspace);
        }
    }

    /// <summary>The texts with <paramref name="prefix"/> in front; a null text is refused, naming its index.</summary>
    private static string[] Prefixed(IEnumerable<string> values, string prefix)
    {
        var texts = values.ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
                throw new ArgumentException($"Text {i} of the {texts.Length} to embed is null.", nameof(values));
            if (prefix.Length > 0) texts[i] = prefix + texts[i];
        }
        return texts;
    }

    /// <summary>The text kind a request asks for (<see cref="TextKindPropertyName"/>), else the default.</summary>
    private EmbeddingTextKind TextKindOf(EmbeddingGenerationOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(TextKindPropertyName, out var value) || value is null)
            return _defaultKind;
        return value switch
        {
            EmbeddingTextKind kind when Enum.IsDefined(kind) => kind,
            string s when s.Equals("query", StringComparison.OrdinalIgnoreCase) => EmbeddingTextKind.Query,
            string s when s.Equals("document", StringComparison.OrdinalIgnoreCase) => EmbeddingTextKind.Document,
            _ => throw new ArgumentException(
                $"EmbeddingGenerationOptions.AdditionalProperties[\"{TextKindPropertyName}\"] is '{value}'; it must be \"query\" or \"document\".",
                nameof(options)),
        };
    }

    /// <summary>Refuses options this generator cannot honour: another model, or another dimension count.</summary>
    private void CheckOptions(EmbeddingGenerationOptions? options)
    {
        if (options is null) return;
        if (options.ModelId is { } model && !string.Equals(model, ModelId, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"EmbeddingGenerationOptions.ModelId is '{model}', but this generator serves '{ModelId}'.", nameof(options));
        if (options.Dimensions is { } dimensions && dimensions != Dimensions)
            throw new NotSupportedException(
                $"EmbeddingGenerationOptions.Dimensions is {dimensions}, but model '{ModelId}' produces {Dimensions}-dimensional embeddings " +
                "and cannot shorten them.");
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return Metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Stops taking requests, finishes those already queued, and releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _batcher?.Dispose();
        _encoder.Dispose();
    }
}
