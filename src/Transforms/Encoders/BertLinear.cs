namespace MlNetIso.Transforms.Encoders;

/// <summary>A dense layer y = x·Wᵀ + b found in an ONNX graph: its weight, its bias and the value y.</summary>
/// <param name="Weight">W in the Hugging Face Linear layout [out, in] once converted.</param>
/// <param name="Bias">b, [out].</param>
/// <param name="Output">Name of the graph value y (the output of the bias Add).</param>
internal readonly record struct BertLinear(BertGraphTensor Weight, BertGraphTensor Bias, string Output);
