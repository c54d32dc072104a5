using MlNetIso.Onnx.Proto;
using MlNetIso.Onnx;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// A LayerNorm y = γ·(x − μ)/√(σ² + ε) + β over the last axis found in an ONNX graph, either as one
/// <c>LayerNormalization</c> node (opset 17+) or decomposed as exporters write it before opset 17:
/// μ = ReduceMean(x); d = x − μ; σ² = ReduceMean(d² as Pow(d, 2) or Mul(d, d)); y = d / Sqrt(σ² + ε) · γ + β.
/// </summary>
/// <param name="Gamma">Value name of γ.</param>
/// <param name="Beta">Value name of β, or null when the node has none.</param>
/// <param name="Epsilon">ε.</param>
/// <param name="Output">Value name of y.</param>
internal sealed record LayerNormMatch(string Gamma, string? Beta, double Epsilon, string Output)
{
    /// <summary>The LayerNorm that reads <paramref name="x"/>, or null; <paramref name="scalar"/> reads constant scalars.</summary>
    public static LayerNormMatch? Find(OnnxGraphIndex g, string x, Func<string, double?> scalar)
    {
        var uses = g.Consumers(x).Where(n => n.OpType != "Shape").Distinct().ToList();
        if (uses.FirstOrDefault(n => n.OpType == "LayerNormalization" && n.Input[0] == x) is { } fused)
        {
            var axis = OnnxAttributes.Find(fused, "axis")?.I ?? -1;
            if (axis is not (-1 or 2) || fused.Input.Count < 2) return null;
            var eps = OnnxAttributes.Find(fused, "epsilon")?.F ?? 1e-5f;
            return new LayerNormMatch(fused.Input[1], fused.Input.Count > 2 && fused.Input[2].Length > 0 ? fused.Input[2] : null,
                Rounded(eps), fused.Output[0]);
        }

        var mean = uses.FirstOrDefault(n => n.OpType == "ReduceMean" && n.Input[0] == x && LastAxis(g, n));
        if (mean is null) return null;
        var sub = uses.FirstOrDefault(n => n.OpType == "Sub" && n.Input[0] == x && n.Input[1] == mean.Output[0]);
        if (sub is null) return null;
        var d = sub.Output[0];
        var dUses = g.Consumers(d).Distinct().ToList();
        var square = dUses.FirstOrDefault(n =>
            (n.OpType == "Pow" && n.Input[0] == d && scalar(n.Input[1]) == 2) ||
            (n.OpType == "Mul" && n.Input[0] == d && n.Input[1] == d));
        var div = dUses.FirstOrDefault(n => n.OpType == "Div" && n.Input[0] == d);
        if (square is null || div is null) return null;
        if (Single(g, square.Output[0]) is not { OpType: "ReduceMean" } variance || !LastAxis(g, variance)) return null;
        if (Single(g, variance.Output[0]) is not { OpType: "Add" } addEps) return null;
        var epsValue = scalar(addEps.Input[0] == variance.Output[0] ? addEps.Input[1] : addEps.Input[0]);
        if (epsValue is null) return null;
        if (Single(g, addEps.Output[0]) is not { OpType: "Sqrt" } sqrt || div.Input[1] != sqrt.Output[0]) return null;
        if (Single(g, div.Output[0]) is not { OpType: "Mul" } scale) return null;
        var gamma = scale.Input[0] == div.Output[0] ? scale.Input[1] : scale.Input[0];
        if (Single(g, scale.Output[0]) is not { OpType: "Add" } shift) return null;
        var beta = shift.Input[0] == scale.Output[0] ? shift.Input[1] : shift.Input[0];
        return new LayerNormMatch(gamma, beta, Rounded((float)epsValue.Value), shift.Output[0]);
    }

    /// <summary>ε as the shortest decimal that rounds to the same float32 (1e-12 rather than 9.999999960041972e-13).</summary>
    private static double Rounded(float eps) =>
        double.Parse(eps.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    private static NodeProto? Single(OnnxGraphIndex g, string value)
    {
        var uses = g.Consumers(value).Where(n => n.OpType != "Shape").Distinct().ToList();
        return uses.Count == 1 ? uses[0] : null;
    }

    /// <summary>True when a ReduceMean averages over the last axis only (axes attribute, or axes input from opset 18).</summary>
    private static bool LastAxis(OnnxGraphIndex g, NodeProto reduceMean)
    {
        var attribute = OnnxAttributes.Find(reduceMean, "axes");
        long[]? axes = attribute?.Ints.ToArray();
        if (axes is null && reduceMean.Input.Count > 1 && g.ConstantTensor(reduceMean.Input[1]) is { } t)
            axes = OnnxTensors.ToLongs(t);
        return axes is [-1] or [2];
    }
}
