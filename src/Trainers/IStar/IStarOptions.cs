using Microsoft.ML;
using Microsoft.ML.SearchSpace;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// Hyper-parameters of the I-STAR classifier trainer (Rudman &amp; Eickhoff, "Stable Anisotropic Regularization",
/// arXiv 2305.19358). The loss is <c>cross-entropy + λ·(1 − IsoScore*(points; C0, ζ))</c>: λ &lt; 0 rewards
/// anisotropy (the paper's recommended direction), λ &gt; 0 rewards isotropy, λ = 0 is the plain baseline.
/// </summary>
/// <remarks>
/// Set exactly one of <see cref="FeatureColumnName"/> (head-only mode: a small MLP head over a known-size float vector,
/// regularised on its hidden layer) or <see cref="TextColumnName"/> together with <see cref="EncoderPath"/>
/// (fine-tune mode: a BERT-family encoder, regularised on its token states). Sweepable hyper-parameters are get/set
/// properties carrying <c>Microsoft.ML.SearchSpace</c> attributes so that an AutoML search space can be built from this type.
/// </remarks>
public sealed class IStarOptions
{
    /// <summary>
    /// Label column. Multiclass: a key (<c>Key&lt;UInt32, K&gt;</c>, e.g. from <c>MapValueToKey</c>). Binary: a <c>Boolean</c>
    /// (true = positive class). Default "Label".
    /// </summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Head-only mode: a known-size <c>Vector&lt;Single&gt;</c> column, e.g. a TempScale embedding output.</summary>
    public string? FeatureColumnName { get; set; }

    /// <summary>Fine-tune mode: the text column (requires <see cref="EncoderPath"/>).</summary>
    public string? TextColumnName { get; set; }

    /// <summary>
    /// Fine-tune mode: the pretrained encoder — a built-in name (<c>all-MiniLM-L6-v2</c>, <c>snowflake-arctic-embed-xs</c>,
    /// <c>mlnetiso-mini</c> or their Hugging Face ids, materialised into the model cache) or a Hugging Face style folder
    /// (config.json, vocab.txt, and model.safetensors or a model.onnx export). An existing folder wins over a built-in
    /// name. When there is no model.safetensors, the weights are recovered from model.onnx once and cached (see
    /// <c>EncoderFolder.EnsureWeights</c> and docs/encoders.md).
    /// </summary>
    public string? EncoderPath { get; set; }

    /// <summary>
    /// Name of the added score column. Multiclass: class probabilities, <c>Vector&lt;Single, K&gt;</c>. Binary: the margin
    /// <c>logit₁ − logit₀</c> (log-odds of true), <c>Single</c>. Default "Score".
    /// </summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>
    /// Binary only: name of the added probability column, <c>σ(logit₁ − logit₀)</c> as <c>Single</c>. Default "Probability".
    /// </summary>
    public string ProbabilityColumnName { get; set; } = "Probability";

    /// <summary>
    /// Name of the added predicted-label column. Multiclass: the arg-max class, <c>Key&lt;UInt32, K&gt;</c>. Binary: margin &gt; 0,
    /// <c>Boolean</c>. Default "PredictedLabel".
    /// </summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>Regulariser weight λ. Negative values decrease isotropy, positive values increase it, 0 disables I-STAR. Default −1.</summary>
    [Range(-5.0, 5.0, -1.0, false)]
    public double Lambda { get; set; } = -1.0;

    /// <summary>Shrinkage ζ ∈ [0, 1] of the mini-batch covariance towards the bank covariance C0. Default 0.2.</summary>
    [Range(0.0, 1.0, 0.2, false)]
    public double Zeta { get; set; } = 0.2;

    /// <summary>
    /// Size of the bank of representation points forming C0, rebuilt at the start of every epoch from the current
    /// model (evaluation mode, no gradients) and streamed into a covariance; default 250 000 as in the paper.
    /// </summary>
    [Range(1_000, 1_000_000, 250_000, true)]
    public int ReferencePoints { get; set; } = 250_000;

    /// <summary>Mini-batch size. Default 32.</summary>
    [Choice(new object[] { 8, 16, 32, 64, 128 }, 32)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Number of passes over the training data. Default 5.</summary>
    [Range(1, 50, 5, false)]
    public int Epochs { get; set; } = 5;

    /// <summary>AdamW learning rate. Default 1e-3 (suits head-only mode; use about 2e-5 to 1e-4 when fine-tuning).</summary>
    [Range(1e-6, 1e-1, 1e-3, true)]
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>AdamW decoupled weight decay. Default 0.01.</summary>
    [Range(0.0, 0.3, 0.01, false)]
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Head-only mode: width of the hidden layer whose activations I-STAR regularises. Default 64.</summary>
    [Choice(new object[] { 16, 32, 64, 128, 256 }, 64)]
    public int HiddenSize { get; set; } = 64;

    /// <summary>Fine-tune mode: most word pieces per text, [CLS] and [SEP] included. Default 64.</summary>
    [Choice(new object[] { 32, 64, 128, 256 }, 64)]
    public int MaxTokens { get; set; } = 64;

    /// <summary>Fine-tune mode: which encoder layers' token states I-STAR regularises. Default all layers.</summary>
    public IStarLayers Layers { get; set; } = IStarLayers.All;

    /// <summary>Fine-tune mode: leave padding positions out of the regularised points (the authors' code keeps them). Default true.</summary>
    [BooleanChoice(true)]
    public bool ExcludePadding { get; set; } = true;

    /// <summary>Seed of weight initialisation and shuffling; null takes one from the <c>MLContext</c> seed.</summary>
    public int? Seed { get; set; }

    /// <summary>Optional validation data (same schema as the training data); its accuracy is logged each epoch.</summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>
    /// Stop when validation accuracy has not improved for this many epochs and keep the best epoch's weights;
    /// 0 disables early stopping. Requires <see cref="ValidationSet"/>.
    /// </summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Cancels training between mini-batches (throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// TorchSharp (libtorch) intra-op threads used while fitting; null takes the measured default, 1 (docs/benchmarks.md,
    /// "I-STAR threads (TorchSharp intra-op threads per fit)": head-only on 3,000 rows took 0.54 s with 1 thread and 23 s
    /// with libtorch's default of one per core; fine-tuning the demo encoder 20 s vs 149 s). libtorch's setting is
    /// process-wide: it is set for the fit and restored afterwards.
    /// </summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>"cpu" (default) or "cuda"; "cuda" fails clearly when no CUDA device is available.</summary>
    public string Device { get; set; } = "cpu";
}
