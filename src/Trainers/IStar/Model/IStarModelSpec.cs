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

    /// <summary>
    /// Number of trainable weights of the network this spec describes. Head-only: <c>d·H + H + H·K + K</c>. Fine-tune: the
    /// BERT encoder (word, position and token-type tables and their LayerNorm; per layer Q, K, V and output projections,
    /// the feed-forward pair and two LayerNorms) plus the linear head <c>h·K + K</c>. Saturates at <see cref="long.MaxValue"/>.
    /// </summary>
    public long ParameterCount()
    {
        try
        {
            checked
            {
                long k = ClassNames.Count;
                if (Mode == IStarMode.HeadOnly)
                    return (long)InputSize * HiddenSize + HiddenSize + (long)HiddenSize * k + k;
                var c = Encoder ?? throw new InvalidOperationException("A fine-tune spec needs an encoder config.");
                long h = c.HiddenSize, inner = c.IntermediateSize;
                long embeddings = ((long)c.VocabSize + c.MaxPositionEmbeddings + c.TypeVocabSize) * h + 2 * h;
                long layer = 4 * (h * h + h) + 2 * h + (h * inner + inner) + (inner * h + h) + 2 * h;
                return embeddings + c.NumHiddenLayers * layer + h * k + k;
            }
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>
    /// Checks a spec read from a package (untrusted) with the rules the trainer applies to its options
    /// (<see cref="Training.IStarOptionsValidator.ValidateValues"/>), plus the facts a trained model always satisfies:
    /// at least two classes (exactly two for binary), positive sizes, a valid encoder config whose position table covers
    /// MaxTokens, and a network whose float32 weights fit in <paramref name="weightsBytes"/> (so a crafted spec cannot
    /// make the loader allocate a network larger than the file). Throws <see cref="InvalidDataException"/> naming <paramref name="source"/>.
    /// </summary>
    public void Validate(IStarTask task, long weightsBytes, string source)
    {
        InvalidDataException Bad(string what) => new($"{source}: {what}; the package is corrupt or was edited.");
        if (Version < 1) throw Bad($"format version {Version} is not a valid version");
        if (!Enum.IsDefined(Mode)) throw Bad($"mode {(int)Mode} is not head-only or fine-tune");
        if (!Enum.IsDefined(Layers)) throw Bad($"Layers {(int)Layers} is not a defined IStarLayers value");
        if (string.IsNullOrWhiteSpace(InputColumnName)) throw Bad("the input column name is empty");
        if (ClassNames is null || ClassNames.Count < 2 || ClassNames.Count > Training.IStarOptionsValidator.MaxClasses)
            throw Bad($"it lists {ClassNames?.Count ?? 0} classes (a classifier has 2 to {Training.IStarOptionsValidator.MaxClasses})");
        if (task == IStarTask.Binary && ClassNames.Count != 2) throw Bad($"a binary model lists {ClassNames.Count} classes instead of 2");
        if (ClassNames.Any(name => name is null)) throw Bad("a class name is null");
        try
        {
            Training.IStarOptionsValidator.ValidateValues(ToOptions(), task);
        }
        catch (ArgumentException e)
        {
            throw Bad($"it holds a value the trainer refuses: {e.Message}");
        }
        if (Mode == IStarMode.HeadOnly && InputSize < 1) throw Bad($"the feature dimension is {InputSize}");
        if (Mode == IStarMode.FineTune)
        {
            if (Encoder is null) throw Bad("the fine-tune step has no encoder config");
            Encoder.Validate(source);
            if (MaxTokens > Encoder.MaxPositionEmbeddings)
                throw Bad($"MaxTokens {MaxTokens} exceeds the encoder's {Encoder.MaxPositionEmbeddings} positions (max_position_embeddings)");
        }
        var needed = ParameterCount();
        if (needed > weightsBytes / sizeof(float))
            throw Bad(needed == long.MaxValue
                ? "its network would have more weights than a long can count"
                : $"its network has {needed} float32 weights, but the weights entry holds only {weightsBytes} bytes ({weightsBytes / sizeof(float)} floats)");
    }

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
