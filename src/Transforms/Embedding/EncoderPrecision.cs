namespace MlNetIso.Transforms.Embedding;

/// <summary>The arithmetic the encoder's weight products run in.</summary>
public enum EncoderPrecision
{
    /// <summary>The encoder as exported (float32 weights and products). The default.</summary>
    Float32,

    /// <summary>
    /// Dynamic int8 quantisation (<see cref="MlNetIso.Onnx.Quantization.DynamicInt8Quantizer"/>): every product with a
    /// constant weight matrix (Q/K/V, attention output and feed-forward projections) runs as an int8 × uint8 product with
    /// int32 accumulation, weights quantised once per output column, activations per call (standard
    /// <c>DynamicQuantizeLinear</c>/<c>MatMulInteger</c> operators). The attention scores Q·Kᵀ,
    /// the softmax (and TempScale's τ), LayerNorm and GELU stay in float32. Faster on CPUs with int8 dot-product
    /// instructions (AVX-512 VNNI / AVX-VNNI, ARM dot product) and 4× smaller weight matrices, at a small accuracy
    /// cost; both are measured for all-MiniLM-L6-v2 in docs/benchmarks.md.
    /// </summary>
    Int8,
}
