namespace MlNetIso.Transforms.Embedding;

/// <summary>Which ONNX Runtime execution provider runs the encoder.</summary>
/// <remarks>
/// The provider depends on the ONNX Runtime native package the app references: <c>Microsoft.ML.OnnxRuntime</c> has
/// the CPU provider only; <c>Microsoft.ML.OnnxRuntime.Gpu</c> adds CUDA (it needs CUDA 13 and cuDNN on the machine).
/// In this repository the switch is <c>-p:OnnxRuntimeFlavor=Gpu</c>.
/// </remarks>
public enum EmbeddingExecutionProvider
{
    /// <summary>The CPU provider (always available).</summary>
    Cpu,

    /// <summary>
    /// The CUDA provider, required: fitting (or loading) fails with a clear error when it cannot be used, e.g. with the
    /// CPU package (<c>Microsoft.ML.OnnxRuntime</c>) or when CUDA's libraries are missing.
    /// </summary>
    Cuda,

    /// <summary>
    /// CUDA when it can be used, otherwise CPU. The fallback is reported once per process (a warning on the
    /// <c>MLContext.Log</c> channel of the fit that first falls back, with the reason), and
    /// <see cref="TempScaleEmbeddingTransformer.ActiveExecutionProvider"/> tells which provider runs.
    /// </summary>
    Auto,
}
