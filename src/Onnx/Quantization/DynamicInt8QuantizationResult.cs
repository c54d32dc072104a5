namespace MlNetIso.Onnx.Quantization;

/// <summary>Outcome of <see cref="DynamicInt8Quantizer.Quantize(byte[], DynamicInt8QuantizerOptions?)"/>.</summary>
/// <param name="Model">The quantised serialised ONNX model.</param>
/// <param name="QuantizedMatMuls">Number of MatMul nodes whose constant weight was quantised.</param>
/// <param name="FusedBiases">How many of them absorbed the bias <c>Add</c> that followed them.</param>
/// <param name="FloatWeightBytes">Bytes of the float weights that were replaced.</param>
/// <param name="Int8WeightBytes">Bytes of the int8 weights and float scales that replaced them.</param>
public sealed record DynamicInt8QuantizationResult(
    byte[] Model, int QuantizedMatMuls, int FusedBiases, long FloatWeightBytes, long Int8WeightBytes);
