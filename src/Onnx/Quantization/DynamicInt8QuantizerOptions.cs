namespace MlNetIso.Onnx.Quantization;

/// <summary>Options of <see cref="DynamicInt8Quantizer"/>.</summary>
public sealed record DynamicInt8QuantizerOptions
{
    /// <summary>
    /// One scale per output column of each weight matrix (default true) instead of one per matrix. Per-column scales
    /// keep columns with small weights from losing all their precision to the largest column.
    /// </summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>
    /// Quantise weights to 7 bits (±63) instead of 8 (±127). x86 CPUs without AVX-512 VNNI / AVX-VNNI multiply
    /// uint8 × int8 pairs with <c>VPMADDUBSW</c>, whose 16-bit sums can saturate with full-range weights; 7-bit weights
    /// cannot saturate there, at the cost of one bit of weight precision. Default false.
    /// </summary>
    public bool ReduceRange { get; init; }

    /// <summary>
    /// Names of MatMul nodes to leave in float (for products found too sensitive to quantise); empty by default.
    /// </summary>
    public IReadOnlyCollection<string> ExcludedNodes { get; init; } = [];

    /// <summary>The operators the quantised products are written with (default <see cref="Int8MatMulOperator.MatMulInteger"/>).</summary>
    public Int8MatMulOperator Operator { get; init; } = Int8MatMulOperator.MatMulInteger;
}
