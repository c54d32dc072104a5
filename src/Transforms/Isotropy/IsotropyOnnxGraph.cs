using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Proto;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Writes an <see cref="IsotropyProjection"/> as a small ONNX graph (opset 13) over one flat vector:
/// <c>[Cast] → [Sub(μ)] → [MatMul(W) → [ReduceL2 → Max(floor) → Div]] → Identity</c>.
/// Input and output are 1-D tensors <c>[d]</c> and <c>[d']</c>, so ML.NET's OnnxTransformer exposes the output as a
/// known-size <c>Vector&lt;Single, d'&gt;</c>. Extra key/value pairs (the report) go into the model's metadata_props.
/// </summary>
internal static class IsotropyOnnxGraph
{
    /// <summary>The ONNX operator-set version the graph is written for.</summary>
    public const long OpsetVersion = 13;

    /// <summary>Builds the serialised ONNX model.</summary>
    public static byte[] Build(
        IsotropyProjection projection,
        string inputName,
        string outputName,
        bool inputIsDouble,
        IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new OnnxGraphBuilder("mlnetiso_isotropy", OpsetVersion);
        graph.AddInput(inputName, inputIsDouble ? DataType.Double : DataType.Float, projection.InputDimension);
        graph.AddOutput(outputName, DataType.Float, projection.OutputDimension);

        string current = inputName;
        if (inputIsDouble)
            current = graph.Op("Cast", [current], OnnxAttributes.Int("to", (long)DataType.Float));
        if (projection.Offset is not null)
            current = graph.Op("Sub", [current, graph.AddInitializer(graph.Fresh("mean"), projection.Offset, projection.InputDimension)]);
        if (projection.Matrix is not null)
        {
            string matrix = graph.AddInitializer(graph.Fresh("projection"), projection.Matrix, projection.InputDimension, projection.OutputDimension);
            current = graph.Op("MatMul", [current, matrix]);
            if (projection.Normalize)
            {
                string norm = graph.Op("ReduceL2", [current], OnnxAttributes.Int("keepdims", 1));
                string clipped = graph.Op("Max", [norm, graph.Scalar(IsotropyProjection.NormFloor)]);
                current = graph.Op("Div", [current, clipped]);
            }
        }
        graph.AddNode("Identity", [current], [outputName]);

        foreach (var (key, value) in metadata)
            graph.AddMetadata(key, value);
        return graph.ToModel("MlNetIso", irVersion: 7).ToByteArray();
    }

    /// <summary>Reads the metadata_props of a serialised ONNX model.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(byte[] onnxModel)
    {
        var model = ModelProto.Parser.ParseFrom(onnxModel);
        return model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
    }
}
