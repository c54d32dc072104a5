using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.Proto;
using MlNetIso.Onnx;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// A weight found in an ONNX graph by <see cref="BertGraphReader"/>, converted to float32 only when asked.
/// A 2-D tensor stored in the ONNX MatMul layout [in, out] is marked <paramref name="transpose"/> and comes out in
/// the PyTorch/Hugging Face Linear layout [out, in].
/// </summary>
internal sealed class BertGraphTensor(TensorProto stored, bool transpose)
{
    /// <summary>The shape in the Hugging Face orientation.</summary>
    public long[] Shape { get; } = transpose && stored.Dims.Count == 2 ? [stored.Dims[1], stored.Dims[0]] : [.. stored.Dims];

    /// <summary>The values as a <see cref="NamedTensor"/>; external data is read from <paramref name="modelFolder"/>.</summary>
    public NamedTensor ToNamedTensor(string modelFolder)
    {
        var data = OnnxTensors.ToFloats(stored, modelFolder);
        if (data.LongLength != Shape.Aggregate(1L, (a, b) => a * b))
            throw new InvalidDataException($"Tensor '{stored.Name}' holds {data.LongLength} values, not the {string.Join(" × ", Shape)} its dims say.");
        if (!transpose || stored.Dims.Count != 2) return new NamedTensor(Shape, data);
        int rows = (int)stored.Dims[0], cols = (int)stored.Dims[1];
        var result = new float[data.Length];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            result[c * rows + r] = data[r * cols + c];
        return new NamedTensor(Shape, result);
    }
}
