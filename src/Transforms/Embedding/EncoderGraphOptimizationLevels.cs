using Microsoft.ML.OnnxRuntime;

namespace MlNetIso.Transforms.Embedding;

/// <summary>Conversion of <see cref="EncoderGraphOptimization"/> to ONNX Runtime's level.</summary>
internal static class EncoderGraphOptimizationLevels
{
    public static GraphOptimizationLevel ToOrt(this EncoderGraphOptimization level) => level switch
    {
        EncoderGraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
        EncoderGraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
        EncoderGraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        EncoderGraphOptimization.All => GraphOptimizationLevel.ORT_ENABLE_ALL,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown graph optimisation level."),
    };
}
