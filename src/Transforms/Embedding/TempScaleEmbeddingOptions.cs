using Microsoft.ML.SearchSpace;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Settings of the TempScale text-embedding transform
/// (<see cref="Microsoft.ML.TempScaleEmbeddingCatalog.ApplyTempScaleEmbedding(Microsoft.ML.TransformsCatalog.TextTransforms, string, string, TempScaleEmbeddingOptions)"/>).
/// The encoder is an ONNX export of a BERT-family model in the Hugging Face layout: <c>model.onnx</c> with
/// <c>vocab.txt</c>, and optionally <c>config.json</c> and <c>tokenizer_config.json</c>, in one folder.
/// With <see cref="Temperature"/> τ ≠ 1 every self-attention computes softmax((QKᵀ/√d + M)/τ) (TempScale,
/// Zhou et al., arXiv 2410.24200), which counters the collapse of long-text embeddings towards one direction.
/// Settings are get/set properties (System.Text.Json and AutoML search spaces can bind them); <see cref="Temperature"/>,
/// <see cref="Normalize"/> and <see cref="BatchSize"/> carry search-space attributes.
/// </summary>
public sealed class TempScaleEmbeddingOptions
{
    /// <summary>
    /// The encoder: the path of its <c>model.onnx</c>, or its folder (then <c>model.onnx</c> in it). Required. The other
    /// files are read from the same folder (see <see cref="Encoders.EncoderFolder"/>).
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

    /// <summary>Pooling of the token states; ignored when the model already outputs a pooled embedding (e.g. <c>sentence_embedding</c>).</summary>
    public EmbeddingPooling Pooling { get; set; } = EmbeddingPooling.Mean;

    /// <summary>Whether to scale every embedding to unit L2 norm (default true).</summary>
    [BooleanChoice(true)]
    public bool Normalize { get; set; } = true;

    /// <summary>
    /// Longest token sequence fed to the encoder, [CLS] and [SEP] included (at least 3). Null means the model's own limit:
    /// the smallest of the rows of its position-embedding table (read from the graph) and <c>max_position_embeddings</c>
    /// (from <c>config.json</c> beside the model, or the model's metadata), else 512. A value above that limit fails at
    /// Fit with the limit in the message.
    /// </summary>
    public int? MaxTokens { get; set; }

    /// <summary>Number of sequences per ONNX Runtime call (default 32; 1 to 65,536).</summary>
    [Choice(new object[] { 8, 16, 32, 64 }, 32)]
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// How many batches of rows the cursor reads ahead and sorts by token length before running them (default 4).
    /// Larger values waste less padding; memory grows with BatchSize × ReadAheadBatches, which may be at most 1,048,576 rows.
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

    /// <summary>ONNX Runtime intra-op threads (0 to 1,024); 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Execution provider (default <see cref="EmbeddingExecutionProvider.Cpu"/>).</summary>
    public EmbeddingExecutionProvider ExecutionProvider { get; set; } = EmbeddingExecutionProvider.Cpu;

    /// <summary>CUDA device id used when <see cref="ExecutionProvider"/> is <see cref="EmbeddingExecutionProvider.Cuda"/>.</summary>
    public int GpuDeviceId { get; set; }

    /// <summary>A shallow copy of these options.</summary>
    public TempScaleEmbeddingOptions Clone() => (TempScaleEmbeddingOptions)MemberwiseClone();

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first invalid setting. The rules (<c>EmbeddingSettingRules</c>)
    /// are the same ones a saved package's settings are checked with when it is loaded.
    /// </summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
            throw new ArgumentException("TempScaleEmbeddingOptions.ModelPath must name the encoder's model.onnx or its folder.", nameof(ModelPath));
        if (EmbeddingSettingRules.FirstProblem(Temperature, MaxTokens, BatchSize, ReadAheadBatches, ChunkOverlap, IntraOpThreads,
                GpuDeviceId, Pooling, LongText, ExecutionProvider) is { } p)
            throw new ArgumentOutOfRangeException(p.Setting, p.Value, $"TempScaleEmbeddingOptions.{p.Setting} {p.Rule}.");
    }
}
