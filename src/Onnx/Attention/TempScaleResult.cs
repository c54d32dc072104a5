namespace MlNetIso.Onnx.Attention;

/// <summary>Outcome of <see cref="TempScale.Rewrite(byte[], float)"/>.</summary>
/// <param name="Model">The rewritten serialised ONNX model.</param>
/// <param name="RewrittenSites">
/// Number of self-attention sites changed: one per attention Softmax, or one per fused <c>Attention</c> /
/// <c>MultiHeadAttention</c> node (each covers all heads of its layer).
/// </param>
/// <param name="Temperature">
/// The overall temperature now applied by the model: the product of this rewrite's τ and any earlier TempScale
/// rewrite's τ (recorded in <c>metadata_props</c> under <see cref="TempScale.MetadataKey"/>).
/// </param>
public sealed record TempScaleResult(byte[] Model, int RewrittenSites, float Temperature);
