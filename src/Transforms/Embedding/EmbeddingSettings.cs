using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.OnnxRuntime;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// The fully resolved settings of a fitted embedding transform: every "null = read it from the model folder" option
/// of <see cref="TempScaleEmbeddingOptions"/> replaced by its value. Saved as JSON beside the model bytes.
/// </summary>
internal sealed record EmbeddingSettings
{
    public float Temperature { get; init; } = 1f;
    public EmbeddingPooling Pooling { get; init; }
    public bool Normalize { get; init; } = true;
    public int MaxTokens { get; init; } = 512;
    public int BatchSize { get; init; } = 32;
    public int ReadAheadBatches { get; init; } = 4;
    public LongTextMode LongText { get; init; }
    public int ChunkOverlap { get; init; }
    public bool LowerCase { get; init; } = true;
    public bool StripAccents { get; init; } = true;
    public int IntraOpThreads { get; init; }
    public bool IntraOpSpinning { get; init; }
    public EncoderPrecision Precision { get; init; }
    public EncoderGraphOptimization GraphOptimization { get; init; } = EncoderGraphOptimization.All;
    public EmbeddingExecutionProvider ExecutionProvider { get; init; }
    public int GpuDeviceId { get; init; }
    public OrtLoggingLevel OnnxRuntimeLogLevel { get; init; } = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;

    /// <summary>Text put in front of every input before tokenisation (a model's query prompt); empty for none.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Sequences (not rows) one cursor reads ahead and sorts by length.</summary>
    [JsonIgnore] public int ReadAheadRows => checked(BatchSize * ReadAheadBatches);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Reads saved settings (untrusted: from a package) and checks every value with the rules the options obey
    /// (<see cref="EmbeddingSettingRules"/>); throws <see cref="InvalidDataException"/> naming <paramref name="source"/>.
    /// </summary>
    public static EmbeddingSettings FromJson(string json, string source)
    {
        EmbeddingSettings settings;
        try
        {
            settings = JsonSerializer.Deserialize<EmbeddingSettings>(json, Json)
                       ?? throw new InvalidDataException($"{source}: the embedding settings are empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the embedding settings are not valid JSON: {e.Message}", e);
        }
        if ((settings.Problem() ?? EmbeddingSettingRules.ChunkProblem(settings.LongText, settings.ChunkOverlap, settings.MaxTokens)) is { } p)
            throw new InvalidDataException(
                $"{source}: settings.json sets {p.Setting} = {p.Value}, but {p.Setting} {p.Rule}; the package is corrupt or was edited.");
        return settings;
    }

    /// <summary>The first of <see cref="EmbeddingSettingRules"/> these settings break, or null.</summary>
    private EmbeddingSettingRules.Problem? Problem() =>
        EmbeddingSettingRules.FirstProblem(Temperature, MaxTokens, BatchSize, ReadAheadBatches, ChunkOverlap, IntraOpThreads, GpuDeviceId,
            Pooling, LongText, ExecutionProvider, OnnxRuntimeLogLevel, Precision, GraphOptimization);

    /// <summary>
    /// Checks the resolved settings (MaxTokens filled in from the model): MaxTokens against the encoder's
    /// <paramref name="positionLimit"/> (found in <paramref name="limitSource"/>), every rule of <see cref="EmbeddingSettingRules"/>,
    /// and the chunk overlap against the window. Throws <see cref="ArgumentOutOfRangeException"/> naming
    /// <paramref name="source"/>, the setting and the limit (<see cref="InvalidDataException"/> for a model with fewer than 3 positions).
    /// </summary>
    public void Validate(string source, int? positionLimit = null, string limitSource = "")
    {
        if (positionLimit is < 3)
            throw new InvalidDataException(
                $"{source}: the encoder has only {positionLimit} positions ({limitSource}); at least 3 are needed ([CLS], one token, [SEP]).");
        if ((EmbeddingSettingRules.PositionProblem(MaxTokens, positionLimit, limitSource)
             ?? Problem()
             ?? EmbeddingSettingRules.ChunkProblem(LongText, ChunkOverlap, MaxTokens)) is { } p)
            throw new ArgumentOutOfRangeException(p.Setting, p.Value, $"{source}: {p.Setting} ({p.Value}) {p.Rule}.");
    }
}
