namespace MlNetIso.Transforms.Embedding;

/// <summary>Which ONNX Runtime execution provider runs the encoder.</summary>
public enum EmbeddingExecutionProvider
{
    /// <summary>The CPU provider (always available).</summary>
    Cpu,

    /// <summary>
    /// The CUDA provider; used only when asked for. It needs the GPU build of ONNX Runtime
    /// (<c>Microsoft.ML.OnnxRuntime.Gpu</c>); with the CPU package, fitting fails with a clear error.
    /// </summary>
    Cuda,
}
