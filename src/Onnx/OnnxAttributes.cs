using Google.Protobuf;
using MlNetIso.Onnx.Proto;
using AttrType = MlNetIso.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace MlNetIso.Onnx;

/// <summary>Typed constructors and readers for ONNX node attributes.</summary>
internal static class OnnxAttributes
{
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttrType.Float, F = value };

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttrType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttrType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Floats(string name, params float[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttrType.Floats };
        a.Floats.AddRange(values);
        return a;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttrType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Tensor(string name, TensorProto value) => new() { Name = name, Type = AttrType.Tensor, T = value };

    /// <summary>The attribute called <paramref name="name"/> on <paramref name="node"/>, or null.</summary>
    public static AttributeProto? Find(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    /// <summary>Replaces (or adds) an attribute by name, keeping the others in order.</summary>
    public static void Set(NodeProto node, AttributeProto attribute)
    {
        for (var i = 0; i < node.Attribute.Count; i++)
        {
            if (node.Attribute[i].Name != attribute.Name) continue;
            node.Attribute[i] = attribute;
            return;
        }
        node.Attribute.Add(attribute);
    }
}
