using Google.Protobuf;
using MlNetIso.Transforms.Onnx;
using MlNetIso.Transforms.Onnx.Proto;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>Edits of a BERT-contract model that produce the other export shapes the transform must accept.</summary>
internal static class EncoderGraphVariants
{
    /// <summary>Removes graph input <paramref name="input"/> and computes it inside the graph as a constant-filled tensor
    /// shaped like <c>input_ids</c> (token types 0, or an all-ones attention mask).</summary>
    public static byte[] WithoutInput(byte[] model, string input, long fill)
    {
        var m = ModelProto.Parser.ParseFrom(model);
        var graph = m.Graph;
        graph.Input.Remove(graph.Input.Single(i => i.Name == input));
        var shape = new NodeProto { OpType = "Shape", Name = $"{input}_shape" };
        shape.Input.Add("input_ids");
        shape.Output.Add($"{input}_shape_out");
        var constant = new NodeProto { OpType = "ConstantOfShape", Name = $"{input}_const" };
        constant.Input.Add($"{input}_shape_out");
        constant.Output.Add(input);
        constant.Attribute.Add(OnnxAttributes.Tensor("value", OnnxTensors.FromLongs("value", [fill], 1)));
        graph.Node.Insert(0, constant);
        graph.Node.Insert(0, shape);
        return m.ToByteArray();
    }

    /// <summary>Makes the last dimension of every output symbolic, so the width must be probed by a run.</summary>
    public static byte[] WithSymbolicWidth(byte[] model)
    {
        var m = ModelProto.Parser.ParseFrom(model);
        foreach (var output in m.Graph.Output)
        {
            var dims = output.Type.TensorType.Shape.Dim;
            dims[^1] = new TensorShapeProto.Types.Dimension { DimParam = "width" };
        }
        return m.ToByteArray();
    }

    /// <summary>Declares every int64 graph input as int32 (BERT graphs cast or gather them, which accepts both).</summary>
    public static byte[] WithInt32Inputs(byte[] model)
    {
        var m = ModelProto.Parser.ParseFrom(model);
        foreach (var input in m.Graph.Input)
            input.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int32;
        return m.ToByteArray();
    }
}
