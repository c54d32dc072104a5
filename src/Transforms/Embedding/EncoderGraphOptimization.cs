namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// How much ONNX Runtime rewrites the encoder graph when it opens the session (its graph optimisation levels). The
/// levels are cumulative: each adds fusions to the one before.
/// </summary>
public enum EncoderGraphOptimization
{
    /// <summary>No graph rewrites: the model's own nodes run one by one.</summary>
    None,

    /// <summary>Semantics-preserving clean-ups: constant folding, redundant node elimination, simple fusions.</summary>
    Basic,

    /// <summary>
    /// Adds ONNX Runtime's contrib-operator fusions — LayerNormalization, (Bias)GELU, MatMul with its scale
    /// (<c>FusedMatMul</c>), MatMul+Add into Gemm, and on graphs that match its patterns fused Attention and
    /// SkipLayerNormalization.
    /// </summary>
    Extended,

    /// <summary>
    /// Adds layout optimisations for the machine the session runs on. The default (measured: docs/benchmarks.md).
    /// </summary>
    All,
}
