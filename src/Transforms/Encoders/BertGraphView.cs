using MlNetIso.Onnx.Proto;
using MlNetIso.Onnx;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// The graph questions <see cref="BertGraphReader"/> and <see cref="BertAttentionMatch"/> ask: who uses a value
/// (Shape nodes aside), which values are constant scalars, vectors, tables or MatMul weights, which dense layers
/// (MatMul + bias Add) read a value, and whether a value is derived from a graph input. Failures name the model file.
/// </summary>
internal sealed class BertGraphView(ModelProto model, string modelFolder, string source)
{
    private static readonly HashSet<string> IdPassThrough = ["Cast", "Identity", "Unsqueeze", "Squeeze", "Reshape", "Flatten", "Expand"];

    /// <summary>Producer/consumer index of the graph.</summary>
    public OnnxGraphIndex Index { get; } = new(model.Graph);

    /// <summary>The graph.</summary>
    public GraphProto Graph => Index.Graph;

    /// <summary>The folder external tensor data is read from.</summary>
    public string ModelFolder { get; } = modelFolder;

    /// <summary>The nodes that read <paramref name="value"/>, without Shape nodes (they only read its shape), each once.</summary>
    public List<NodeProto> Uses(string value) => Index.Consumers(value).Where(n => n.OpType != "Shape").Distinct().ToList();

    /// <summary>The value of a constant one-element tensor (float or integer), else null.</summary>
    public double? Scalar(string value)
    {
        var t = Index.ConstantTensor(value);
        if (t is null || OnnxTensors.ElementCount(t) != 1) return null;
        return (DataType)t.DataType switch
        {
            DataType.Int64 or DataType.Int32 => OnnxTensors.ToLongs(t, ModelFolder)[0],
            _ when IsFloat(t) => OnnxTensors.ToFloats(t, ModelFolder)[0],
            _ => null,
        };
    }

    /// <summary>The values of a constant int64/int32 tensor, else null.</summary>
    public long[]? Longs(string value)
    {
        var t = Index.ConstantTensor(value);
        return t is not null && (DataType)t.DataType is DataType.Int64 or DataType.Int32 ? OnnxTensors.ToLongs(t, ModelFolder) : null;
    }

    /// <summary>A constant floating-point 2-D tensor (an embedding table), else null.</summary>
    public TensorProto? Table(string value) => Index.ConstantTensor(value) is { Dims.Count: 2 } t && IsFloat(t) ? t : null;

    /// <summary>
    /// A constant MatMul weight: a 2-D constant [in, out] (converted transposed to [out, in]), or a Transpose of a
    /// constant [out, in] (taken as it is); else null.
    /// </summary>
    public (BertGraphTensor Tensor, long In, long Out)? Weight(string value)
    {
        if (Table(value) is { } direct)
            return (new BertGraphTensor(direct, transpose: true), direct.Dims[0], direct.Dims[1]);
        if (Index.Producer(value) is { OpType: "Transpose" } t && Table(t.Input[0]) is { } stored)
        {
            var perm = OnnxAttributes.Find(t, "perm")?.Ints.ToArray();
            if (perm is null || perm is [1, 0])
                return (new BertGraphTensor(stored, transpose: false), stored.Dims[1], stored.Dims[0]);
        }
        return null;
    }

    /// <summary>The MatMuls that read <paramref name="x"/> as their left operand with a constant weight.</summary>
    public List<NodeProto> DenseReaders(string x) =>
        Uses(x).Where(n => n.OpType == "MatMul" && n.Input[0] == x && Weight(n.Input[1]) is not null).ToList();

    /// <summary>MatMul(x, W) + b with a constant W mapping <paramref name="inSize"/> → <paramref name="outSize"/> and a constant b.</summary>
    public BertLinear Linear(NodeProto matMul, long inSize, long outSize, string what)
    {
        var w = Weight(matMul.Input[1]) ?? throw Fail($"{what}: the MatMul '{matMul.Name}' has no constant weight");
        if (w.In != inSize || w.Out != outSize)
            throw Fail($"{what}: the MatMul weight maps {w.In} → {w.Out}, expected {inSize} → {outSize}");
        var product = matMul.Output[0];
        if (Uses(product) is [{ OpType: "Add" } add])
        {
            var other = add.Input[0] == product ? add.Input[1] : add.Input[0];
            if (Index.ConstantTensor(other) is { Dims.Count: 1 } b && b.Dims[0] == outSize && IsFloat(b))
                return new BertLinear(w.Tensor, new BertGraphTensor(b, transpose: false), add.Output[0]);
        }
        throw Fail($"{what}: no bias Add (a constant [{outSize}] vector) after the MatMul '{matMul.Name}'");
    }

    /// <summary>True when <paramref name="value"/> is <paramref name="graphInput"/> seen through Cast/Unsqueeze/Reshape/….</summary>
    public bool Reaches(string value, string graphInput) => ThroughPassThrough(value) == graphInput;

    /// <summary>
    /// The one node that reads <paramref name="value"/>; throws, saying that <paramref name="what"/> of layer
    /// <paramref name="layer"/> should lead by one path to <paramref name="target"/>, when there are none or several.
    /// </summary>
    public NodeProto SoleUse(string value, int layer, string what, string target)
    {
        var uses = Uses(value);
        return uses.Count == 1
            ? uses[0]
            : throw Fail($"layer {layer}: {what} feeds {uses.Count} nodes ({Ops(uses)}); expected one path to {target}");
    }

    /// <summary>The value that <paramref name="value"/> is a pass-through (Cast/Unsqueeze/Reshape/…) of.</summary>
    public string ThroughPassThrough(string value)
    {
        for (int guard = 0; guard < 16; guard++)
        {
            if (Index.Producer(value) is not { } p || !IdPassThrough.Contains(p.OpType)) return value;
            value = p.Input[0];
        }
        return value;
    }

    /// <summary>True for float, float16, bfloat16 and double tensors.</summary>
    public static bool IsFloat(TensorProto t) =>
        (DataType)t.DataType is DataType.Float or DataType.Float16 or DataType.Bfloat16 or DataType.Double;

    /// <summary>The <c>axis</c> attribute of a Gather (default 0).</summary>
    public static long AxisOf(NodeProto gather) => OnnxAttributes.Find(gather, "axis")?.I ?? 0;

    /// <summary>The op types of <paramref name="nodes"/>, for messages.</summary>
    public static string Ops(IEnumerable<NodeProto> nodes) => string.Join(", ", nodes.Select(n => n.OpType));

    /// <summary>The error for a graph that is not a recognised BERT export, naming the model file.</summary>
    public InvalidDataException Fail(string what) => new($"ONNX model '{source}' is not a recognised BERT encoder export: {what}.");
}
