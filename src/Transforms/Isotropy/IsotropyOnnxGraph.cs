using Google.Protobuf;
using MlNetIso.Transforms.Onnx.Proto;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Writes an <see cref="IsotropyProjection"/> as a small ONNX graph (opset 13) over one flat vector:
/// <c>[Cast] → Sub(μ) → MatMul(W) → [ReduceL2 → Max(floor) → Div]</c>, or <c>Identity</c> for pass-through.
/// Input and output are 1-D tensors <c>[d]</c> and <c>[d']</c>, so ML.NET's OnnxTransformer exposes the output as a
/// known-size <c>Vector&lt;Single, d'&gt;</c>. Extra key/value pairs (the report) go into the model's metadata_props.
/// </summary>
internal static class IsotropyOnnxGraph
{
    /// <summary>The ONNX operator-set version the graph is written for.</summary>
    public const long OpsetVersion = 13;

    private const int FloatType = (int)TensorProto.Types.DataType.Float;
    private const int DoubleType = (int)TensorProto.Types.DataType.Double;

    /// <summary>Builds the serialised ONNX model.</summary>
    public static byte[] Build(
        IsotropyProjection projection,
        string inputName,
        string outputName,
        bool inputIsDouble,
        IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new GraphProto { Name = "mlnetiso_isotropy" };
        graph.Input.Add(VectorValue(inputName, inputIsDouble ? DoubleType : FloatType, projection.InputDimension));
        graph.Output.Add(VectorValue(outputName, FloatType, projection.OutputDimension));

        var nodes = new GraphNodes(graph, outputName);
        string current = inputName;
        if (inputIsDouble)
            current = nodes.Add("Cast", [current], Int("to", FloatType));
        if (projection.Offset is not null)
            current = nodes.Add("Sub", [current, nodes.Constant("mean", projection.Offset, [projection.InputDimension])]);
        if (projection.Matrix is not null)
        {
            string matrix = nodes.Constant("projection", projection.Matrix, [projection.InputDimension, projection.OutputDimension]);
            current = nodes.Add("MatMul", [current, matrix]);
            if (projection.Normalize)
            {
                string norm = nodes.Add("ReduceL2", [current], Int("keepdims", 1));
                string floor = nodes.Constant("norm_floor", [IsotropyProjection.NormFloor], [1]);
                string clipped = nodes.Add("Max", [norm, floor]);
                current = nodes.Add("Div", [current, clipped]);
            }
        }
        nodes.Finish(current);

        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "MlNetIso",
            ProducerVersion = typeof(IsotropyOnnxGraph).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model.ToByteArray();
    }

    /// <summary>Reads the metadata_props of a serialised ONNX model.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(byte[] onnxModel)
    {
        var model = ModelProto.Parser.ParseFrom(onnxModel);
        return model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
    }

    private static ValueInfoProto VectorValue(string name, int elementType, int length)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = length });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>Appends nodes with unique value names; the last one is renamed to the graph output.</summary>
    private sealed class GraphNodes(GraphProto graph, string outputName)
    {
        private int _counter;

        public string Add(string opType, string[] inputs, params AttributeProto[] attributes)
        {
            string output = $"isotropy_{opType.ToLowerInvariant()}_{_counter++}";
            var node = new NodeProto { OpType = opType, Name = output };
            node.Input.Add(inputs);
            node.Output.Add(output);
            node.Attribute.Add(attributes);
            graph.Node.Add(node);
            return output;
        }

        public string Constant(string name, float[] values, long[] dims)
        {
            var tensor = new TensorProto { Name = $"isotropy_{name}", DataType = FloatType };
            tensor.Dims.Add(dims);
            tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        /// <summary>Routes the value <paramref name="last"/> to the graph output (an Identity node for pass-through).</summary>
        public void Finish(string last)
        {
            if (graph.Node.Count == 0)
            {
                var identity = new NodeProto { OpType = "Identity", Name = "isotropy_identity" };
                identity.Input.Add(last);
                identity.Output.Add(outputName);
                graph.Node.Add(identity);
                return;
            }
            var producer = graph.Node[^1];
            producer.Output[0] = outputName;
        }
    }
}
