namespace MlNetIso.Onnx.Bert;

/// <summary>
/// A dense float32 tensor in row-major order with its shape: the unit of exchange between checkpoint files
/// (<c>model.safetensors</c>), the TorchSharp encoder and the ONNX graph writer. Names follow Hugging Face
/// (<c>encoder.layer.0.attention.self.query.weight</c>).
/// </summary>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Data">Row-major values; its length is the product of <paramref name="Shape"/>.</param>
public sealed record NamedTensor(long[] Shape, float[] Data)
{
    /// <summary>Number of elements implied by <see cref="Shape"/>.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
