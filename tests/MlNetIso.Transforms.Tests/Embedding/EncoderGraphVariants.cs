using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Proto;

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

    /// <summary>
    /// An "encoder" without attention: last_hidden_state = E[input_ids] (a word-embedding lookup), inputs input_ids and
    /// attention_mask. TempScale has nothing to rewrite in it.
    /// </summary>
    public static byte[] EmbeddingLookupOnly(int vocab, int width, int seed)
    {
        var rng = new Random(seed);
        var builder = new OnnxGraphBuilder("lookup", 17);
        var table = builder.AddInitializer("word_embeddings",
            Enumerable.Range(0, vocab * width).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(), vocab, width);
        var m = builder.ToModel("test");
        var graph = m.Graph;
        graph.Input.Add(Input("input_ids"));
        graph.Input.Add(Input("attention_mask"));
        var gather = new NodeProto { OpType = "Gather", Name = "lookup" };
        gather.Input.Add(table);
        gather.Input.Add("input_ids");
        gather.Output.Add("last_hidden_state");
        graph.Node.Add(gather);
        var identity = new NodeProto { OpType = "Identity", Name = "mask_sink" };
        identity.Input.Add("attention_mask");
        identity.Output.Add("mask_copy");
        graph.Node.Add(identity);
        graph.Output.Add(Tensor("last_hidden_state", TensorProto.Types.DataType.Float, "batch", "sequence", width.ToString()));
        graph.Output.Add(Tensor("mask_copy", TensorProto.Types.DataType.Int64, "batch", "sequence"));
        return m.ToByteArray();

        static ValueInfoProto Input(string name) => Tensor(name, TensorProto.Types.DataType.Int64, "batch", "sequence");
    }

    private static ValueInfoProto Tensor(string name, TensorProto.Types.DataType type, params string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(long.TryParse(d, out var v)
                ? new TensorShapeProto.Types.Dimension { DimValue = v }
                : new TensorShapeProto.Types.Dimension { DimParam = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
