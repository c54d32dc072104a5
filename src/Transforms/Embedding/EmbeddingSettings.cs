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

    public static EmbeddingSettings FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<EmbeddingSettings>(json, Json)
                   ?? throw new InvalidDataException($"{source}: the embedding settings are empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the embedding settings are not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Checks the combination of values (those that only make sense together).</summary>
    public void Validate(string source)
    {
        if (LongText == LongTextMode.Chunk && ChunkOverlap >= MaxTokens - 2)
            throw new ArgumentException(
                $"{source}: ChunkOverlap ({ChunkOverlap}) must be smaller than the {MaxTokens - 2} text tokens of a window " +
                $"(MaxTokens {MaxTokens} minus [CLS] and [SEP]).");
    }
}
