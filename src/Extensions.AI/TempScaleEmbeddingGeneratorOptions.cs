using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Extensions.AI;

/// <summary>
/// Settings of a <see cref="TempScaleEmbeddingGenerator"/>: the encoder and how it embeds (the settings of the TempScale
/// embedding transform, <see cref="TempScaleEmbeddingOptions"/>), the query/document prefixes, and the micro-batching of
/// concurrent requests. Plain get/set properties, so the options pattern can bind them from configuration
/// (<c>services.Configure&lt;TempScaleEmbeddingGeneratorOptions&gt;(configuration.GetSection("Embeddings"))</c>).
/// </summary>
public sealed class TempScaleEmbeddingGeneratorOptions
{
    /// <summary>
    /// The encoder, required: a built-in name (<c>all-MiniLM-L6-v2</c>, <c>snowflake-arctic-embed-xs</c>,
    /// <c>mlnetiso-mini</c> or their Hugging Face ids; see <see cref="Transforms.Encoders.BuiltInEncoders"/>), or the path of
    /// an encoder folder or of its <c>model.onnx</c>. An existing file or folder wins over a built-in name.
    /// </summary>
    public string Model { get; set; } = "";

    /// <summary>
    /// The model id reported in <see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata.DefaultModelId"/> and on every
    /// embedding; null means the built-in encoder's name, else the name of the encoder's folder.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>Root of the built-in encoder cache; null for <see cref="Transforms.Encoders.BuiltInEncoders.DefaultCacheFolder"/>.</summary>
    public string? CacheFolder { get; set; }

    /// <summary>
    /// Attention temperature τ (&gt; 0, finite): every self-attention computes softmax((QKᵀ/√d + M)/τ) (TempScale, Zhou et al.,
    /// arXiv 2410.24200). 1 (the default) runs the encoder unchanged.
    /// </summary>
    public float Temperature { get; set; } = 1f;

    /// <summary>Pooling of the token states; null means the encoder's own convention (a built-in encoder's, else mean).</summary>
    public EmbeddingPooling? Pooling { get; set; }

    /// <summary>Whether embeddings have unit L2 norm; null means the encoder's convention (true for the built-in encoders).</summary>
    public bool? Normalize { get; set; }

    /// <summary>Longest token sequence, [CLS] and [SEP] included; null means the encoder's (a built-in encoder's maximum sequence length).</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Texts longer than <see cref="MaxTokens"/> are truncated (default) or embedded as overlapping windows.</summary>
    public LongTextMode LongText { get; set; } = LongTextMode.Truncate;

    /// <summary>Tokens shared by consecutive windows in <see cref="LongTextMode.Chunk"/> mode (default 64).</summary>
    public int ChunkOverlap { get; set; } = 64;

    /// <summary>
    /// Text put in front of texts embedded as <see cref="EmbeddingTextKind.Query"/>. Null means the built-in encoder's query
    /// prefix (snowflake-arctic-embed-xs: <c>Represent this sentence for searching relevant passages: </c>), else none;
    /// an empty string means none.
    /// </summary>
    public string? QueryPrefix { get; set; }

    /// <summary>
    /// Text put in front of texts embedded as <see cref="EmbeddingTextKind.Document"/>. Null means the built-in encoder's
    /// document prefix (none for the built-in encoders); an empty string means none.
    /// </summary>
    public string? DocumentPrefix { get; set; }

    /// <summary>
    /// What texts are when a request does not say (see <see cref="TempScaleEmbeddingGenerator.TextKindPropertyName"/>);
    /// default <see cref="EmbeddingTextKind.Document"/>.
    /// </summary>
    public EmbeddingTextKind DefaultTextKind { get; set; } = EmbeddingTextKind.Document;

    /// <summary>
    /// Whether concurrent requests are gathered into shared ONNX Runtime batches (default false: every request runs on its
    /// caller's thread on its own). Measured on two CPU cores with 32 concurrent single-text callers (docs/benchmarks.md,
    /// "Line-of-business integration"), batching lowered throughput (0.4–0.8× for all-MiniLM-L6-v2 and mlnetiso-mini) and
    /// raised median latency: on a CPU a text costs the same compute alone or in a batch, and a batch adds padding to its
    /// longest text and a hand-off to the batching thread. Turn it on where one batched run costs far less than its texts
    /// run one by one (a GPU execution provider), and measure with the <c>embedding-generator</c> benchmark.
    /// </summary>
    public bool MicroBatching { get; set; }

    /// <summary>
    /// Most texts in one micro-batch, and the ONNX Runtime batch size (default 32). A request with more texts runs alone,
    /// in ONNX Runtime batches of this size.
    /// </summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// Sequences per ONNX Runtime run within a micro-batch; null (the default) means <see cref="MaxBatchSize"/>, one run per
    /// micro-batch. The texts of a micro-batch are sorted by token count before they are cut into runs, and each run is
    /// padded only to its own longest sequence, so a smaller value trades per-run overhead for less padding when the
    /// texts' lengths differ much.
    /// </summary>
    public int? EncoderBatchSize { get; set; }

    /// <summary>
    /// How long the batcher waits for more requests once it holds one, before it runs a batch that is not full
    /// (default 2 ms; zero runs whatever is queued at once).
    /// </summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Requests that may wait for the batcher (default 1024); further callers wait for room, or for their cancellation.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>ONNX Runtime intra-op threads; 0 (the default) lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Execution provider (default <see cref="EmbeddingExecutionProvider.Cpu"/>).</summary>
    public EmbeddingExecutionProvider ExecutionProvider { get; set; } = EmbeddingExecutionProvider.Cpu;

    /// <summary>CUDA device id used with <see cref="EmbeddingExecutionProvider.Cuda"/>.</summary>
    public int GpuDeviceId { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting (the encoder settings are checked when it loads).</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException(
                "TempScaleEmbeddingGeneratorOptions.Model must name a built-in encoder (e.g. all-MiniLM-L6-v2), an encoder folder or its model.onnx.",
                nameof(Model));
        if (MaxBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "TempScaleEmbeddingGeneratorOptions.MaxBatchSize must be at least 1.");
        if (EncoderBatchSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(EncoderBatchSize), EncoderBatchSize,
                "TempScaleEmbeddingGeneratorOptions.EncoderBatchSize must be at least 1 (or null for MaxBatchSize).");
        if (MaxBatchDelay < TimeSpan.Zero || MaxBatchDelay > TimeSpan.FromSeconds(10))
            throw new ArgumentOutOfRangeException(nameof(MaxBatchDelay), MaxBatchDelay,
                "TempScaleEmbeddingGeneratorOptions.MaxBatchDelay must be between 0 and 10 seconds.");
        if (QueueCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "TempScaleEmbeddingGeneratorOptions.QueueCapacity must be at least 1.");
        if (!Enum.IsDefined(DefaultTextKind))
            throw new ArgumentOutOfRangeException(nameof(DefaultTextKind), DefaultTextKind, "Unknown text kind.");
    }

    /// <summary>A shallow copy of these options.</summary>
    public TempScaleEmbeddingGeneratorOptions Clone() => (TempScaleEmbeddingGeneratorOptions)MemberwiseClone();
}
