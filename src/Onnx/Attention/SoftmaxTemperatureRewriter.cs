using MlNetIso.Onnx.Proto;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Onnx.Attention;

/// <summary>
/// Makes one attention Softmax compute softmax(x/τ) from its input x. When x is Q·Kᵀ times scalar constants with
/// nothing else in between (only shape ops and Mul/Div by a one-element constant, each used once), the temperature is
/// folded exactly into the nearest such constant (Div: c·τ, Mul: c/τ) or into <c>FusedMatMul.alpha</c> (alpha/τ).
/// When τ ≤ 1 and the only other term is an additive padding mask computed from an <c>attention_mask</c>-like graph
/// input (e.g. HF's <c>(1 − mask)·(−10000)</c>), τ is folded into the scale constant the same way: that gives
/// softmax(QKᵀ/(√d·τ) + M) instead of softmax((QKᵀ/√d + M)/τ), which differ only in how far below the real logits the
/// masked ones lie — both give masked keys exactly zero weight in float arithmetic, so the outputs are the same while
/// the graph keeps its shape (no extra pass over the S×S scores; measured in docs/benchmarks.md).
/// Otherwise — a mask selected with Where, a bias that is not a padding mask, τ &gt; 1 — a <c>Mul</c> by a scalar 1/τ
/// initializer of x's element type is inserted right before the Softmax, which scales the mask too, exactly as
/// TempScale's softmax((QKᵀ/√d + M)/τ). −∞ mask entries stay −∞ (1/τ &gt; 0), so no NaN is introduced.
/// </summary>
internal sealed class SoftmaxTemperatureRewriter(OnnxGraphIndex index, float temperature)
{
    private static readonly HashSet<string> ShapeOps = new(StringComparer.Ordinal)
    {
        "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Identity", "Flatten",
    };

    private readonly List<string> _replaced = [];

    /// <summary>
    /// Names of the scale constants that folding replaced by new ones; those no other node reads are removed after
    /// the rewrite (<see cref="OnnxUnusedConstants"/>).
    /// </summary>
    public IReadOnlyList<string> ReplacedConstants => _replaced;

    /// <summary>Rewrites one site: folds τ into a scale constant when that gives the same softmax, else inserts Mul(1/τ).</summary>
    public void Rewrite(AttentionSiteFinder.SoftmaxSite site)
    {
        if (!TryFold(site)) InsertScale(site.Softmax);
    }

    private bool TryFold(AttentionSiteFinder.SoftmaxSite site)
    {
        var value = site.Softmax.Input[0];
        (NodeProto Node, int ConstInput)? target = null;
        while (true)
        {
            if (index.UseCount(value) != 1) return false;
            var p = index.Producer(value);
            if (p is null) return false;
            if (ReferenceEquals(p, site.ScoresMatMul))
            {
                if (target is null && p.OpType == "FusedMatMul")
                {
                    var alpha = OnnxAttributes.Find(p, "alpha")?.F ?? 1f;
                    OnnxAttributes.Set(p, OnnxAttributes.Float("alpha", alpha / temperature));
                    return true;
                }
                if (target is null) return false;
                FoldInto(target.Value.Node, target.Value.ConstInput);
                return true;
            }
            if (!OnnxGraphIndex.IsOnnxDomain(p.Domain)) return false;
            if (ShapeOps.Contains(p.OpType) || p.OpType == "Cast" && IsFloatCast(p))
            {
                value = p.Input[0];
                continue;
            }
            if (p.OpType == "Add" && p.Input.Count == 2 && temperature <= 1f)
            {
                var maskSide = IsPaddingMask(p.Input[0]) ? 0 : IsPaddingMask(p.Input[1]) ? 1 : -1;
                if (maskSide < 0) return false;
                value = p.Input[1 - maskSide];
                continue;
            }
            if (p.OpType is "Mul" or "Div" && p.Input.Count == 2)
            {
                var constIndex = ScalarConstantInput(p);
                if (constIndex < 0) return false;
                target ??= (p, constIndex);
                value = p.Input[1 - constIndex];
                continue;
            }
            return false;
        }
    }

    private static readonly HashSet<string> MaskOps = new(StringComparer.Ordinal)
    {
        "Cast", "Sub", "Mul", "Add", "Div", "Neg", "Not", "Equal", "Where", "Unsqueeze", "Reshape", "Expand", "Squeeze",
        "Identity", "Slice", "Transpose", "Min", "Max", "Less", "Greater",
    };

    /// <summary>
    /// True when <paramref name="value"/> is computed only from graph inputs whose name contains "mask" and small
    /// constants (scalars, axes, shapes) through element-wise and shape ops — an additive padding mask, not a bias.
    /// </summary>
    private bool IsPaddingMask(string value)
    {
        var sawMask = false;
        return Walk(value, 0) && sawMask;

        bool Walk(string v, int depth)
        {
            if (depth > 32) return false;
            if (index.ConstantTensor(v) is { } constant) return OnnxTensors.ElementCount(constant) <= 8;
            var producer = index.Producer(v);
            if (producer is null)
            {
                var isMaskInput = index.Graph.Input.Any(i => i.Name == v) && v.Contains("mask", StringComparison.OrdinalIgnoreCase);
                sawMask |= isMaskInput;
                return isMaskInput;
            }
            return OnnxGraphIndex.IsOnnxDomain(producer.Domain) && MaskOps.Contains(producer.OpType)
                && producer.Input.Where(i => i.Length > 0).All(i => Walk(i, depth + 1));
        }
    }

    /// <summary>Index of the one-element constant operand (Mul: either side; Div: divisor only), else −1.</summary>
    private int ScalarConstantInput(NodeProto p)
    {
        for (var i = 0; i < 2; i++)
        {
            if (p.OpType == "Div" && i == 0) continue;
            var t = index.ConstantTensor(p.Input[i]);
            if (t is not null && OnnxTensors.ElementCount(t) == 1 && IsFloatType(t.DataType)
                && t.DataLocation != TensorProto.Types.DataLocation.External && !index.IsConstant(p.Input[1 - i]))
                return i;
        }
        return -1;
    }

    private void FoldInto(NodeProto node, int constInput)
    {
        var original = index.ConstantTensor(node.Input[constInput])!;
        var c = (double)OnnxTensors.ToFloats(original)[0];
        var folded = node.OpType == "Div" ? c * temperature : c / temperature;
        var name = index.FreshName(node.Input[constInput] + "_tempscale");
        index.Graph.Initializer.Add(OnnxTensors.ScalarOfType(name, folded, original.DataType, original.Dims.ToArray()));
        _replaced.Add(node.Input[constInput]);
        node.Input[constInput] = name;
    }

    private void InsertScale(NodeProto softmax)
    {
        var input = softmax.Input[0];
        var scaleName = index.FreshName(input + "_tempscale_inv_tau");
        index.Graph.Initializer.Add(OnnxTensors.ScalarOfType(scaleName, 1.0 / temperature, ElementType(input, 0)));
        var scaled = index.FreshName(input + "_tempscaled");
        var mul = new NodeProto { OpType = "Mul", Name = index.FreshName(softmax.Name + "_tempscale"), Input = { input, scaleName }, Output = { scaled } };
        index.Graph.Node.Insert(index.Graph.Node.IndexOf(softmax), mul);
        softmax.Input[0] = scaled;
    }

    /// <summary>Floating element type of a value: declared type, Cast target, or that of a constant operand; float by default.</summary>
    private int ElementType(string value, int depth)
    {
        if (index.ValueInfo(value)?.Type?.TensorType is { ElemType: > 0 } declared) return declared.ElemType;
        if (index.ConstantTensor(value) is { } constant) return constant.DataType;
        var p = index.Producer(value);
        if (p is null || depth > 32) return (int)DataType.Float;
        if (p.OpType == "Cast" && OnnxAttributes.Find(p, "to") is { } to) return (int)to.I;
        foreach (var i in p.Input.Where(i => i.Length > 0))
        {
            var t = index.ConstantTensor(i);
            if (t is not null && IsFloatType(t.DataType)) return t.DataType;
        }
        foreach (var i in p.Input.Where(i => i.Length > 0 && !index.IsConstant(i)))
        {
            var t = ElementType(i, depth + 1);
            if (IsFloatType(t)) return t;
        }
        return (int)DataType.Float;
    }

    private static bool IsFloatCast(NodeProto cast) => OnnxAttributes.Find(cast, "to") is { } to && IsFloatType((int)to.I);

    private static bool IsFloatType(int type) =>
        (DataType)type is DataType.Float or DataType.Double or DataType.Float16 or DataType.Bfloat16;

}
