namespace MlNetIso.Onnx.Quantization;

/// <summary>Which ONNX operators a weight product quantised by <see cref="DynamicInt8Quantizer"/> is written with.</summary>
public enum Int8MatMulOperator
{
    /// <summary>
    /// One ONNX Runtime contrib node, <c>com.microsoft.DynamicQuantizeMatMul(A, B_int8, b_scale, , bias)</c>: A is
    /// quantised to uint8 per call (its own min/max), multiplied by the int8 weights with int32 accumulation, scaled
    /// back to float, and the bias (a following <c>Add</c> of a constant vector) is added in the same kernel. Runs only
    /// on ONNX Runtime. The default: the fastest form measured on ONNX Runtime 1.31 CPU (docs/benchmarks.md).
    /// </summary>
    DynamicQuantizeMatMul,

    /// <summary>
    /// Standard ai.onnx operators only: <c>DynamicQuantizeLinear(A)</c> → <c>MatMulInteger</c> → <c>Cast</c> to float
    /// → <c>Mul</c> by a_scale·b_scale; the bias <c>Add</c> stays as it is. Portable to any ONNX runtime with opset ≥ 11;
    /// ONNX Runtime fuses the chain back into <c>DynamicQuantizeMatMul</c> at its extended optimisation level.
    /// </summary>
    MatMulInteger,
}
