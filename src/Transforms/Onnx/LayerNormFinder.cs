using MlNetIso.Transforms.Onnx.Proto;

namespace MlNetIso.Transforms.Onnx;

/// <summary>
/// Finds the LayerNorm outputs of an ONNX graph: the normalised output of an ai.onnx <c>LayerNormalization</c>, of the
/// com.microsoft <c>LayerNormalization</c>, <c>SkipLayerNormalization</c> and <c>EmbedLayerNormalization</c> operators,
/// and of the decomposed form PyTorch exports below opset 17 —
/// c = x − ReduceMean(x); y = c / Sqrt(ReduceMean(c²) + ε); then optionally y·γ and y·γ + β with constant γ, β
/// (the c² may be Pow(c, 2) or Mul(c, c)). Subgraphs are not searched.
/// </summary>
internal static class LayerNormFinder
{
    private static readonly HashSet<string> FusedMicrosoft = new(StringComparer.Ordinal)
    {
        "LayerNormalization", "SkipLayerNormalization", "EmbedLayerNormalization",
    };

    /// <summary>The value name of every LayerNorm's normalised output.</summary>
    public static HashSet<string> Outputs(OnnxGraphIndex index)
    {
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in index.Graph.Node)
        foreach (var input in node.Input.Where(i => i.Length > 0))
        {
            if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
            list.Add(node);
        }
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in index.Graph.Node)
        {
            if (node.Output.Count == 0) continue;
            if (OnnxGraphIndex.IsOnnxDomain(node.Domain) && node.OpType == "LayerNormalization"
                || node.Domain == OnnxGraphBuilder.MicrosoftDomain && FusedMicrosoft.Contains(node.OpType))
                outputs.Add(node.Output[0]);
            else if (IsDecomposedNormalisation(index, node))
                outputs.Add(AffineTail(index, consumers, node.Output[0]));
        }
        return outputs;
    }

    /// <summary>Div(c, Sqrt(…ReduceMean…)) with c = Sub(x, ReduceMean(x)).</summary>
    private static bool IsDecomposedNormalisation(OnnxGraphIndex index, NodeProto div)
    {
        if (!OnnxGraphIndex.IsOnnxDomain(div.Domain) || div.OpType != "Div" || div.Input.Count != 2) return false;
        var sub = index.Producer(div.Input[0]);
        if (sub is not { OpType: "Sub" } || sub.Input.Count != 2) return false;
        var mean = index.Producer(sub.Input[1]);
        if (mean is not { OpType: "ReduceMean" } || mean.Input.Count == 0 || mean.Input[0] != sub.Input[0]) return false;
        var sqrt = index.Producer(div.Input[1]);
        if (sqrt is not { OpType: "Sqrt" } || sqrt.Input.Count != 1) return false;
        // The variance branch: Sqrt(Add(ReduceMean(c²), ε)) or Sqrt(ReduceMean(c²)).
        var inner = index.Producer(sqrt.Input[0]);
        if (inner is { OpType: "Add" })
            inner = inner.Input.Select(index.Producer).FirstOrDefault(p => p is { OpType: "ReduceMean" });
        return inner is { OpType: "ReduceMean" };
    }

    /// <summary>Follows y → y·γ → y·γ + β (each only when it is the value's single use and the other operand is constant).</summary>
    private static string AffineTail(OnnxGraphIndex index, Dictionary<string, List<NodeProto>> consumers, string value)
    {
        foreach (var op in new[] { "Mul", "Add" })
        {
            if (index.UseCount(value) != 1 || !consumers.TryGetValue(value, out var users) || users is not [var next]) break;
            if (next.OpType != op || next.Input.Count != 2 || next.Output.Count != 1) break;
            var other = next.Input[0] == value ? next.Input[1] : next.Input[0];
            if (!index.IsConstant(other)) break;
            value = next.Output[0];
        }
        return value;
    }
}
