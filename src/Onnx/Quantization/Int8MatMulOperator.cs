namespace MlNetIso.Onnx.Quantization;

/// <summary>Which ONNX operators a weight product quantised by <see cref="DynamicInt8Quantizer"/> is written with.</summary>
public enum Int8MatMulOperator
{
    /// <summary>
    /// Standard ai.onnx operators only: <c>DynamicQuantizeLinear(A)</c> → <c>MatMulInteger</c> → <c>Cast</c> to float
    /// → <c>Mul</c> by a_scale·b_scale; the bias <c>Add</c> stays as it is. An activation read by several products (Q, K
    /// and V read the same LayerNorm output) is quantised once. Portable to any ONNX runtime with opset ≥ 11; ONNX
    /// Runtime fuses each chain into <c>MatMulIntegerToFloat</c> (with the bias) or <c>DynamicQuantizeMatMul</c>. The
    /// default: portable, and on ONNX Runtime 1.31 CPU as fast as <see cref="DynamicQuantizeMatMul"/> or a little faster
    /// (Q, K and V share one activation quantisation; all-MiniLM-L6-v2 measurements in docs/benchmarks.md).
    /// </summary>
    MatMulInteger,

    /// <summary>
    /// One ONNX Runtime contrib node per product, <c>com.microsoft.DynamicQuantizeMatMul(A, B_int8, b_scale, , bias)</c>:
    /// A is quantised to uint8 per call inside the node, multiplied by the int8 weights with int32 accumulation, scaled
    /// back to float, and the bias (a following <c>Add</c> of a constant vector) is added in the same kernel. Runs only
    /// on ONNX Runtime.
    /// </summary>
    DynamicQuantizeMatMul,
}
