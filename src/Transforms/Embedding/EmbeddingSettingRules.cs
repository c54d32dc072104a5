using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// The one set of rules every setting of the TempScale embedding obeys, whether it comes from
/// <see cref="TempScaleEmbeddingOptions"/> (checked when the estimator is created) or from the <c>settings.json</c> of a
/// saved package (checked when the package is loaded, since a package is untrusted input). The upper bounds keep a
/// crafted value from turning into a giant allocation or an endless loop; they lie far above any useful setting.
/// </summary>
internal static class EmbeddingSettingRules
{
    /// <summary>Largest number of sequences per ONNX Runtime call.</summary>
    public const int MaxBatchSize = 1 << 16;

    /// <summary>Largest number of rows one cursor reads ahead: <c>BatchSize × ReadAheadBatches</c>.</summary>
    public const int MaxReadAheadRows = 1 << 20;

    /// <summary>Largest sequence length accepted before the model's own position limit is known.</summary>
    public const int MaxTokensCeiling = 1 << 20;

    /// <summary>Largest ONNX Runtime intra-op thread count.</summary>
    public const int MaxIntraOpThreads = 1 << 10;

    /// <summary>A broken rule: the setting's name, its value and what it must be.</summary>
    public readonly record struct Problem(string Setting, object Value, string Rule);

    /// <summary>The first rule the given settings break, or null when they are all valid.</summary>
    public static Problem? FirstProblem(float temperature, int? maxTokens, int batchSize, int readAheadBatches, int chunkOverlap,
        int intraOpThreads, int gpuDeviceId, EmbeddingPooling? pooling, LongTextMode longText, EmbeddingExecutionProvider executionProvider,
        OrtLoggingLevel onnxRuntimeLogLevel, EncoderPrecision precision, EncoderGraphOptimization graphOptimization)
    {
        if (!(temperature > 0f) || !float.IsFinite(temperature))
            return new("Temperature", temperature, "must be a finite number greater than 0");
        if (maxTokens is { } m && m is < 3 or > MaxTokensCeiling)
            return new("MaxTokens", m, Invariant($"must be at least 3 ([CLS], one token, [SEP]) and at most {MaxTokensCeiling}"));
        if (batchSize is < 1 or > MaxBatchSize)
            return new("BatchSize", batchSize, Invariant($"must be at least 1 and at most {MaxBatchSize}"));
        if (readAheadBatches < 1 || (long)readAheadBatches * batchSize > MaxReadAheadRows)
            return new("ReadAheadBatches", readAheadBatches,
                Invariant($"must be at least 1, and BatchSize × ReadAheadBatches ({batchSize} × {readAheadBatches}) at most {MaxReadAheadRows} rows"));
        if (chunkOverlap < 0)
            return new("ChunkOverlap", chunkOverlap, "must not be negative");
        if (intraOpThreads is < 0 or > MaxIntraOpThreads)
            return new("IntraOpThreads", intraOpThreads, Invariant($"must lie in [0, {MaxIntraOpThreads}] (0 = ONNX Runtime's choice)"));
        if (gpuDeviceId < 0)
            return new("GpuDeviceId", gpuDeviceId, "must not be negative");
        if (pooling is { } pool && !Enum.IsDefined(pool))
            return new("Pooling", pool, "must be a defined EmbeddingPooling value");
        if (!Enum.IsDefined(longText))
            return new("LongText", longText, "must be a defined LongTextMode value");
        if (!Enum.IsDefined(executionProvider))
            return new("ExecutionProvider", executionProvider, "must be a defined EmbeddingExecutionProvider value");
        if (!Enum.IsDefined(onnxRuntimeLogLevel))
            return new("OnnxRuntimeLogLevel", onnxRuntimeLogLevel, "must be a defined OrtLoggingLevel value");
        if (!Enum.IsDefined(precision))
            return new("Precision", precision, "must be a defined EncoderPrecision value");
        if (!Enum.IsDefined(graphOptimization))
            return new("GraphOptimization", graphOptimization, "must be a defined EncoderGraphOptimization value");
        return null;
    }

    /// <summary>
    /// The rule between two settings, checked once MaxTokens is resolved: in Chunk mode the overlap must leave room for
    /// new tokens in every window.
    /// </summary>
    public static Problem? ChunkProblem(LongTextMode longText, int chunkOverlap, int maxTokens) =>
        longText == LongTextMode.Chunk && chunkOverlap >= maxTokens - 2
            ? new("ChunkOverlap", chunkOverlap,
                Invariant($"must be smaller than the {maxTokens - 2} text tokens of a window (MaxTokens {maxTokens} minus [CLS] and [SEP])"))
            : null;

    /// <summary>
    /// The rule between MaxTokens and the encoder: it cannot exceed the number of positions the model has embeddings for.
    /// </summary>
    public static Problem? PositionProblem(int maxTokens, int? positionLimit, string limitSource) =>
        positionLimit is { } limit && maxTokens > limit
            ? new("MaxTokens", maxTokens, Invariant($"must not exceed the encoder's {limit} positions ({limitSource})"))
            : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
