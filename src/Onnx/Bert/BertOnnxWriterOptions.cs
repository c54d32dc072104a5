namespace MlNetIso.Onnx.Bert;

/// <summary>Options of <see cref="BertOnnxWriter"/>.</summary>
public sealed record BertOnnxWriterOptions
{
    /// <summary>Lowest supported ai.onnx opset.</summary>
    public const int MinOpset = 14;

    /// <summary>Highest supported ai.onnx opset.</summary>
    public const int MaxOpset = 21;

    /// <summary>
    /// ai.onnx opset of the written model, <see cref="MinOpset"/>..<see cref="MaxOpset"/> (default 17). From 17 on,
    /// LayerNorm is the native <c>LayerNormalization</c> operator; below 17 it is decomposed into
    /// ReduceMean/Sub/Mul/Sqrt/Div/Add with the same formula.
    /// </summary>
    public int Opset { get; init; } = 17;

    /// <summary>
    /// When true, the model gets a second output <c>sentence_embedding</c> [batch, hidden]: the masked mean of
    /// <c>last_hidden_state</c> over positions where <c>attention_mask</c> is 1 (Σ m·h / max(Σ m, 1e-9)).
    /// </summary>
    public bool IncludeSentenceEmbedding { get; init; }

    /// <summary>
    /// When true, each layer is written with ONNX Runtime's fused contrib operators (domain <c>com.microsoft</c>)
    /// instead of the eager pattern: one <c>Attention</c> node (Q, K and V packed into one [hidden, 3·hidden] weight,
    /// the 0/1 <c>attention_mask</c> as its mask, padded keys at −10000), <c>SkipLayerNormalization</c> for each
    /// residual + bias + LayerNorm, and <c>BiasGelu</c>. The function is the same; the model then runs only on ONNX
    /// Runtime. This is the graph ONNX Runtime's own transformer optimiser aims for; it lets the fused kernels be
    /// measured on models whose export its in-session fusions do not match (docs/benchmarks.md). Default false.
    /// </summary>
    public bool FusedOperators { get; init; }
}
