using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Trainers.IStar.Model;

/// <summary>
/// Everything needed to rebuild a trained I-STAR network and its ML.NET surface without the training data:
/// the mode, the architecture, the class set and the output column names. Written as <c>istar.json</c> when saving.
/// </summary>
internal sealed class IStarModelSpec : ICloneable
{
    /// <summary>The newest <see cref="Version"/> this library reads; 2 added <see cref="Task"/>.</summary>
    public const int LatestVersion = 2;

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Format version: 1 for multiclass steps (readable by libraries before the binary task), 2 for binary ones.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The classification task, <see cref="IStarTask.Name"/>: "multiclass" (the default, also for version-1 files) or "binary".</summary>
    public string Task { get; set; } = "multiclass";

    /// <summary>Head-only or fine-tune; written as "head-only" / "fine-tune".</summary>
    public IStarMode Mode { get; set; } = IStarMode.HeadOnly;

    public string InputColumnName { get; set; } = "";

    /// <summary>Head-only: feature dimension d.</summary>
    public int InputSize { get; set; }

    /// <summary>Head-only: hidden width.</summary>
    public int HiddenSize { get; set; }

    /// <summary>Fine-tune: most word pieces per text.</summary>
    public int MaxTokens { get; set; }

    /// <summary>Fine-tune: regularised layers.</summary>
    public IStarLayers Layers { get; set; }

    /// <summary>Fine-tune: whether padding positions are left out of the points.</summary>
    public bool ExcludePadding { get; set; } = true;

    /// <summary>Fine-tune: the encoder's shape (its Hugging Face config).</summary>
    public BertConfig? Encoder { get; set; }

    /// <summary>Fine-tune: whether the WordPiece tokenizer lower-cases (from <c>tokenizer_config.json</c>'s <c>do_lower_case</c>, default true).</summary>
    public bool LowerCase { get; set; } = true;

    /// <summary>
    /// Fine-tune: whether the WordPiece tokenizer strips accents (<c>tokenizer_config.json</c>'s <c>strip_accents</c>);
    /// null (also in files written before this field) means the same as <see cref="LowerCase"/>, Hugging Face's rule.
    /// </summary>
    public bool? StripAccents { get; set; }

    /// <summary>Fine-tune: the tokenizer settings this spec's casing fields describe.</summary>
    public TokenizerConfig TokenizerConfig() => new() { LowerCase = LowerCase, StripAccents = StripAccents };

    /// <summary>Fine-tune: the <c>vocab.txt</c> bytes (stored as a separate entry, not in the JSON).</summary>
    [JsonIgnore]
    public byte[]? Vocabulary { get; set; }

    public List<string> ClassNames { get; set; } = [];

    public bool HasKeyValues { get; set; }

    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Binary: name of the probability column.</summary>
    public string ProbabilityColumnName { get; set; } = "Probability";

    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>ζ and batch size used by <see cref="IStarTransformer.MeasureRepresentationIsotropy"/>.</summary>
    public double Zeta { get; set; }

    public int BatchSize { get; set; }

    public string Device { get; set; } = "cpu";

    /// <summary>A shallow copy (lists are copied).</summary>
    public object Clone()
    {
        var copy = (IStarModelSpec)MemberwiseClone();
        copy.ClassNames = [.. ClassNames];
        return copy;
    }

    /// <summary>The options a loaded model scores and measures with.</summary>
    public IStarOptions ToOptions() => new()
    {
        FeatureColumnName = Mode == IStarMode.HeadOnly ? InputColumnName : null,
        TextColumnName = Mode == IStarMode.FineTune ? InputColumnName : null,
        HiddenSize = HiddenSize,
        MaxTokens = MaxTokens,
        Layers = Layers,
        ExcludePadding = ExcludePadding,
        ScoreColumnName = ScoreColumnName,
        ProbabilityColumnName = ProbabilityColumnName,
        PredictedLabelColumnName = PredictedLabelColumnName,
        Zeta = Zeta,
        BatchSize = BatchSize,
        Device = Device,
    };
}
