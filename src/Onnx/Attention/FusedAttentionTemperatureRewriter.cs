using MlNetIso.Onnx.Proto;

namespace MlNetIso.Onnx.Attention;

/// <summary>
/// Applies a temperature to a fused com.microsoft <c>Attention</c> or <c>MultiHeadAttention</c> node. ONNX Runtime
/// computes softmax(scale·QKᵀ + mask + bias) there, with scale defaulting to 1/√head_size (also when the attribute is
/// 0) and padded keys given <c>mask_filter_value</c> (default −10000). The rewrite sets
/// scale ← scale/τ, mask_filter_value ← mask_filter_value/τ, and multiplies an <c>attention_bias</c> input (index 5)
/// by 1/τ, so the whole softmax input is divided by τ. head_size = hidden/num_heads, with hidden taken from
/// <c>qkv_hidden_sizes</c>, the packed QKV weight [in, 3·hidden] or bias [3·hidden], the declared query shape, or the
/// weight of the MatMul producing the query.
/// </summary>
internal sealed class FusedAttentionTemperatureRewriter(OnnxGraphIndex index, float temperature, string source)
{
    private const float DefaultMaskFilterValue = -10000f;
    private const int AttentionBiasInput = 5;
    public void Rewrite(NodeProto node)
    {
        var scale = OnnxAttributes.Find(node, "scale")?.F ?? 0f;
        if (scale == 0f) scale = 1f / MathF.Sqrt(HeadSize(node));
        OnnxAttributes.Set(node, OnnxAttributes.Float("scale", scale / temperature));

        var maskFilter = OnnxAttributes.Find(node, "mask_filter_value")?.F ?? DefaultMaskFilterValue;
        OnnxAttributes.Set(node, OnnxAttributes.Float("mask_filter_value", maskFilter / temperature));

        if (node.Input.Count > AttentionBiasInput && node.Input[AttentionBiasInput].Length > 0)
        {
            var bias = node.Input[AttentionBiasInput];
            var inv = index.FreshName(bias + "_tempscale_inv_tau");
            index.Graph.Initializer.Add(OnnxTensors.ScalarOfType(inv, 1.0 / temperature,
                (int)TensorProto.Types.DataType.Float));
            var scaled = index.FreshName(bias + "_tempscaled");
            var mul = new NodeProto { OpType = "Mul", Name = index.FreshName(node.Name + "_tempscale"), Input = { bias, inv }, Output = { scaled } };
            index.Graph.Node.Insert(index.Graph.Node.IndexOf(node), mul);
            node.Input[AttentionBiasInput] = scaled;
        }
    }

    private int HeadSize(NodeProto node)
    {
        var heads = OnnxAttributes.Find(node, "num_heads")?.I ?? 0;
        if (heads <= 0)
            throw new InvalidDataException($"ONNX model '{source}': attention node '{node.Name}' has no positive num_heads.");
        var hidden = HiddenSize(node);
        if (hidden is not { } h || h % heads != 0)
            throw new InvalidDataException(
                $"ONNX model '{source}': cannot determine the head size of attention node '{node.Name}' (no " +
                "qkv_hidden_sizes, constant QKV weight/bias, declared query shape or query projection weight); set its " +
                "'scale' attribute explicitly before rewriting.");
        return (int)(h / heads);
    }

    private long? HiddenSize(NodeProto node)
    {
        if (OnnxAttributes.Find(node, "qkv_hidden_sizes") is { Ints.Count: 3 } sizes) return sizes.Ints[0];
        if (node.OpType == "Attention")
        {
            if (Constant(node, 1) is { Dims.Count: 2 } weight) return weight.Dims[1] / 3;
            if (Constant(node, 2) is { Dims.Count: 1 } bias) return bias.Dims[0] / 3;
            return null;
        }
        // MultiHeadAttention: query [B, S, hidden] or packed QKV [B, S, heads, 3, head_size].
        if (Constant(node, 3) is { Dims.Count: 1 } qkvBias) return qkvBias.Dims[0] / 3;
        var query = node.Input[0];
        var dims = index.ValueInfo(query)?.Type?.TensorType?.Shape?.Dim;
        if (dims is { Count: 3 } && dims[2].HasDimValue) return dims[2].DimValue;
        if (dims is { Count: 5 } && dims[4].HasDimValue && dims[2].HasDimValue) return dims[4].DimValue * dims[2].DimValue;
        var producer = index.Producer(query);
        if (producer?.OpType == "Add")
            producer = producer.Input.Select(index.Producer).FirstOrDefault(p => p?.OpType == "MatMul");
        if (producer?.OpType == "MatMul" && index.ConstantTensor(producer.Input[1]) is { Dims.Count: 2 } w) return w.Dims[1];
        return null;
    }

    private TensorProto? Constant(NodeProto node, int input) =>
        node.Input.Count > input && node.Input[input].Length > 0 ? index.ConstantTensor(node.Input[input]) : null;

}
