using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.SearchSpace;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Settings of the TempScale text-embedding transform
/// (<see cref="Microsoft.ML.TempScaleEmbeddingCatalog.ApplyTempScaleEmbedding(Microsoft.ML.TransformsCatalog.TextTransforms, string, string, TempScaleEmbeddingOptions)"/>).
/// The encoder is a built-in name (<c>all-MiniLM-L6-v2</c>, <c>snowflake-arctic-embed-xs</c>, <c>mlnetiso-mini</c>) or an
/// ONNX export of a BERT-family model in the Hugging Face layout: <c>model.onnx</c> with <c>vocab.txt</c>, and optionally
/// <c>config.json</c>, <c>tokenizer_config.json</c> and the sentence-transformers files, in one folder.
/// With <see cref="Temperature"/> τ ≠ 1 every self-attention computes softmax((QKᵀ/√d + M)/τ) (TempScale,
/// Zhou et al., arXiv 2410.24200), which counters the collapse of long-text embeddings towards one direction.
/// </summary>
/// <remarks>
/// <para>The model's own conventions are the defaults: <see cref="Pooling"/>, <see cref="Normalize"/>,
/// <see cref="MaxTokens"/> and the prompt of <see cref="TextKind"/> left null (or at their default) are read from the
/// folder's sentence-transformers files, exactly as sentence-transformers applies them (all-MiniLM-L6-v2: mean pooling,
/// L2, 256 tokens; snowflake-arctic-embed-xs: CLS pooling, L2, 512 tokens, a query prompt). A value set here overrides
/// the folder's. See docs/encoders.md.</para>
/// <para>Settings are get/set properties (System.Text.Json and AutoML search spaces can bind them);
/// <see cref="Temperature"/> and <see cref="BatchSize"/> carry search-space attributes.</para>
/// </remarks>
public sealed class TempScaleEmbeddingOptions
{
    /// <summary>
    /// The encoder, required: a built-in name — <c>all-MiniLM-L6-v2</c>, <c>snowflake-arctic-embed-xs</c>,
    /// <c>mlnetiso-mini</c> or their Hugging Face ids, materialised once into the model cache (see
    /// <see cref="Encoders.BuiltInEncoders"/>) — or the path of a <c>model.onnx</c>, or its folder (then <c>model.onnx</c>
    /// in it). The other files are read from the same folder (see <see cref="Encoders.EncoderFolder"/>). An existing file
    /// or folder wins over a built-in name: a folder literally called <c>all-MiniLM-L6-v2</c> in the working directory is
    /// used as that folder.
    /// </summary>
    public string ModelPath { get; set; } = "";

    /// <summary>Path of the WordPiece <c>vocab.txt</c>; null means <c>vocab.txt</c> beside <see cref="ModelPath"/>.</summary>
    public string? VocabularyPath { get; set; }

    /// <summary>
    /// Attention temperature τ (&gt; 0, finite). 1 runs the encoder unchanged; τ &lt; 1 sharpens every attention
    /// distribution, which keeps long-text embeddings apart.
    /// Search range for AutoML sweeps: [0.05, 1], log scale.
    /// </summary>
    [Range(0.05f, 1f, 1f, true)]
    public float Temperature { get; set; } = 1f;

    /// <summary>
    /// Pooling of the token states; ignored when the model already outputs a pooled embedding (e.g.
    /// <c>sentence_embedding</c>). Null (the default) means the folder's sentence-transformers pooling
    /// (<c>1_Pooling/config.json</c>: mean for all-MiniLM-L6-v2, CLS for snowflake-arctic-embed-xs), else
    /// <see cref="EmbeddingPooling.Mean"/>. A folder asking for a pooling this transform lacks (e.g. weighted mean)
    /// fails at Fit unless a pooling is set here.
    /// </summary>
    public EmbeddingPooling? Pooling { get; set; }

    /// <summary>
    /// Whether to scale every embedding to unit L2 norm. Null (the default) means the folder's sentence-transformers
    /// modules: true when <c>modules.json</c> ends in a Normalize module, false when it has none; true for a folder
    /// without sentence-transformers files.
    /// </summary>
    public bool? Normalize { get; set; }

    /// <summary>
    /// Longest token sequence fed to the encoder, [CLS] and [SEP] included. Null means the folder's
    /// <c>max_seq_length</c> (<c>sentence_bert_config.json</c>: 256 for all-MiniLM-L6-v2, 512 for
    /// snowflake-arctic-embed-xs), else the smaller of <c>model_max_length</c> (<c>tokenizer_config.json</c>) and the
    /// model's <c>max_position_embeddings</c> (<c>config.json</c>, or the model's metadata), else 512 — never more
    /// than the model's positions.
    /// </summary>
    public int? MaxTokens { get; set; }

    /// <summary>
    /// Whether the texts are documents (default) or search queries: selects the prompt of the folder's
    /// <c>config_sentence_transformers.json</c> put in front of every text (snowflake-arctic-embed-xs:
    /// <c>Represent this sentence for searching relevant passages: </c> for queries, nothing for documents). Ignored
    /// when <see cref="Prefix"/> is set.
    /// </summary>
    public EmbeddingTextKind TextKind { get; set; } = EmbeddingTextKind.Document;

    /// <summary>
    /// Text put in front of every input before tokenisation, overriding the folder's prompt for <see cref="TextKind"/>;
    /// null (the default) takes the folder's prompt, an empty string means none. The prefix's tokens count in the
    /// pooling and in <see cref="MaxTokens"/>, as in sentence-transformers.
    /// </summary>
    public string? Prefix { get; set; }

    /// <summary>Number of sequences per ONNX Runtime call (default 32).</summary>
    [Choice(new object[] { 8, 16, 32, 64 }, 32)]
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// How many batches of rows the cursor reads ahead and sorts by token length before running them (default 4).
    /// Larger values waste less padding; memory grows with BatchSize × ReadAheadBatches.
    /// </summary>
    public int ReadAheadBatches { get; set; } = 4;

    /// <summary>What to do with texts longer than <see cref="MaxTokens"/> (default <see cref="LongTextMode.Truncate"/>).</summary>
    public LongTextMode LongText { get; set; } = LongTextMode.Truncate;

    /// <summary>Tokens shared by consecutive windows when <see cref="LongText"/> is <see cref="LongTextMode.Chunk"/> (default 64).</summary>
    public int ChunkOverlap { get; set; } = 64;

    /// <summary>
    /// Lower-case before WordPiece. Null means <c>do_lower_case</c> from <c>tokenizer_config.json</c> beside the model,
    /// else true (Hugging Face's BertTokenizer default for uncased models).
    /// </summary>
    public bool? LowerCase { get; set; }

    /// <summary>
    /// Strip accents (Unicode non-spacing marks) before WordPiece. Null means <c>strip_accents</c> from
    /// <c>tokenizer_config.json</c>, else the value of the lower-casing setting (Hugging Face's rule).
    /// </summary>
    public bool? StripAccents { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Execution provider (default <see cref="EmbeddingExecutionProvider.Cpu"/>).</summary>
    public EmbeddingExecutionProvider ExecutionProvider { get; set; } = EmbeddingExecutionProvider.Cpu;

    /// <summary>CUDA device id used when <see cref="ExecutionProvider"/> is <see cref="EmbeddingExecutionProvider.Cuda"/>.</summary>
    public int GpuDeviceId { get; set; }

    /// <summary>
    /// Least severe ONNX Runtime message printed while the encoder's session is created and run (default
    /// <see cref="OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR"/>: errors only). ONNX Runtime's own default, warning, prints
    /// graph-optimiser notes such as unused-initializer removals on every load; choose
    /// <see cref="OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING"/> or lower to see them.
    /// </summary>
    public OrtLoggingLevel OnnxRuntimeLogLevel { get; set; } = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;

    /// <summary>A shallow copy of these options.</summary>
    public TempScaleEmbeddingOptions Clone() => (TempScaleEmbeddingOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
            throw new ArgumentException(
                "TempScaleEmbeddingOptions.ModelPath must name a built-in encoder (e.g. all-MiniLM-L6-v2), the encoder's model.onnx or its folder.",
                nameof(ModelPath));
        if (!(Temperature > 0f) || !float.IsFinite(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature,
                "TempScaleEmbeddingOptions.Temperature must be a finite number greater than 0.");
        if (MaxTokens is { } m && m < 3)
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), m,
                "TempScaleEmbeddingOptions.MaxTokens must be at least 3 ([CLS], one token, [SEP]).");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "TempScaleEmbeddingOptions.BatchSize must be at least 1.");
        if (ReadAheadBatches < 1)
            throw new ArgumentOutOfRangeException(nameof(ReadAheadBatches), ReadAheadBatches,
                "TempScaleEmbeddingOptions.ReadAheadBatches must be at least 1.");
        if (ChunkOverlap < 0)
            throw new ArgumentOutOfRangeException(nameof(ChunkOverlap), ChunkOverlap, "TempScaleEmbeddingOptions.ChunkOverlap must not be negative.");
        if (IntraOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads,
                "TempScaleEmbeddingOptions.IntraOpThreads must not be negative (0 = ONNX Runtime's choice).");
        if (Pooling is { } pooling && !Enum.IsDefined(pooling))
            throw new ArgumentOutOfRangeException(nameof(Pooling), pooling, "Unknown pooling.");
        if (!Enum.IsDefined(TextKind))
            throw new ArgumentOutOfRangeException(nameof(TextKind), TextKind, "Unknown text kind.");
        if (!Enum.IsDefined(LongText))
            throw new ArgumentOutOfRangeException(nameof(LongText), LongText, "Unknown long-text mode.");
        if (!Enum.IsDefined(OnnxRuntimeLogLevel))
            throw new ArgumentOutOfRangeException(nameof(OnnxRuntimeLogLevel), OnnxRuntimeLogLevel, "Unknown ONNX Runtime log level.");
        if (!Enum.IsDefined(ExecutionProvider))
            throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, "Unknown execution provider.");
    }
}
