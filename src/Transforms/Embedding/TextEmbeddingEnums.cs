namespace MlNetIso.Transforms.Embedding;

/// <summary>How the token states of an encoder's <c>last_hidden_state</c> become one text vector.</summary>
public enum EmbeddingPooling
{
    /// <summary>Mean of the states of the real (unpadded) tokens, [CLS] and [SEP] included (sentence-transformers' default).</summary>
    Mean,

    /// <summary>The state of the first token, [CLS].</summary>
    Cls,

    /// <summary>Element-wise maximum over the states of the real tokens.</summary>
    Max,
}

/// <summary>What to do with a text longer than <see cref="TextEmbeddingOptions.MaxTokens"/>.</summary>
public enum LongTextMode
{
    /// <summary>Keep the first <c>MaxTokens</c> tokens ([CLS] and [SEP] included) and drop the rest.</summary>
    Truncate,

    /// <summary>
    /// Split the text into overlapping windows of at most <c>MaxTokens</c> tokens (each with its own [CLS]/[SEP]),
    /// embed every window and average the window embeddings weighted by their token counts: e = Σ nₖ·eₖ / Σ nₖ.
    /// Cost grows linearly with the text length.
    /// </summary>
    Chunk,
}

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
