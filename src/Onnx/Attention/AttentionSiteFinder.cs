using MlNetIso.Onnx.Proto;

namespace MlNetIso.Onnx.Attention;

/// <summary>
/// Finds the self-attention sites of an ONNX graph for <see cref="TempScale"/>:
/// <list type="bullet">
/// <item>an ai.onnx <c>Softmax</c> whose input traces back, through elementwise and shape ops
/// (<see cref="PassThroughOps"/>), to a <c>MatMul</c>, two-operand <c>Einsum</c> or com.microsoft <c>FusedMatMul</c>
/// whose two operands are
/// both computed activations (Q·Kᵀ). A Softmax over x·W with W a weight (a classifier head) is not a site;</item>
/// <item>a com.microsoft <c>Attention</c> or <c>MultiHeadAttention</c> node.</item>
/// </list>
/// Other fused attention operators are refused with <see cref="NotSupportedException"/>, so a model is never half
/// rewritten. Subgraphs (If/Loop/Scan bodies) are not searched.
/// </summary>
internal static class AttentionSiteFinder
{
    /// <summary>Ops the backward trace walks through (the scores flow through their data inputs).</summary>
    public static readonly IReadOnlySet<string> PassThroughOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Where", "Cast", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Identity",
        "Expand", "Flatten", "Dropout", "Clip", "Max", "Min",
    };

    /// <summary>Attention operators whose temperature cannot be set by this rewrite.</summary>
    private static readonly HashSet<string> UnsupportedFused = new(StringComparer.Ordinal)
    {
        "PackedAttention", "PackedMultiHeadAttention", "GroupQueryAttention", "DecoderMaskedMultiHeadAttention",
        "DecoderMaskedSelfAttention", "DecoderAttention", "LongformerAttention", "QAttention", "QOrderedAttention",
        "SparseAttention", "PagedAttention",
    };

    /// <summary>Longest chain of ops followed back from a Softmax.</summary>
    private const int MaxTraceDepth = 16;

    /// <summary>A Softmax over Q·Kᵀ scores, with the MatMul that produced them.</summary>
    public sealed record SoftmaxSite(NodeProto Softmax, NodeProto ScoresMatMul);

    public static (List<SoftmaxSite> Softmaxes, List<NodeProto> Fused) Find(OnnxGraphIndex index, string source)
    {
        var softmaxes = new List<SoftmaxSite>();
        var fused = new List<NodeProto>();
        foreach (var node in index.Graph.Node)
        {
            if (node.Domain == OnnxGraphBuilder.MicrosoftDomain && node.OpType is "Attention" or "MultiHeadAttention")
                fused.Add(node);
            else if (node.Domain == OnnxGraphBuilder.MicrosoftDomain && UnsupportedFused.Contains(node.OpType)
                     || OnnxGraphIndex.IsOnnxDomain(node.Domain) && node.OpType == "Attention")
                throw new NotSupportedException(
                    $"ONNX model '{source}': node '{node.Name}' is a {Qualified(node)} operator, whose attention " +
                    "temperature TempScale cannot set. Rewrite the model before it is optimised/fused, or export it " +
                    "with eager attention.");
            else if (OnnxGraphIndex.IsOnnxDomain(node.Domain) && node.OpType == "Softmax" && node.Input.Count > 0
                     && TraceScores(index, node.Input[0]) is { } matMul)
                softmaxes.Add(new SoftmaxSite(node, matMul));
        }
        return (softmaxes, fused);
    }

    /// <summary>True when <paramref name="node"/> multiplies two computed activations (a Q·Kᵀ product).</summary>
    public static bool IsScoresMatMul(OnnxGraphIndex index, NodeProto node) =>
        node.Input.Count >= 2
        && (OnnxGraphIndex.IsOnnxDomain(node.Domain) && node.OpType is "MatMul" or "Einsum"
            || node.Domain == OnnxGraphBuilder.MicrosoftDomain && node.OpType == "FusedMatMul")
        && !index.IsConstant(node.Input[0]) && !index.IsConstant(node.Input[1]);

    /// <summary>Breadth-first walk back from a Softmax input; the first Q·Kᵀ MatMul found, else null.</summary>
    private static NodeProto? TraceScores(OnnxGraphIndex index, string start)
    {
        var frontier = new List<string> { start };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var depth = 0; depth < MaxTraceDepth && frontier.Count > 0; depth++)
        {
            var next = new List<string>();
            foreach (var value in frontier)
            {
                if (!seen.Add(value) || index.IsConstant(value)) continue;
                var p = index.Producer(value);
                if (p is null) continue;
                if (IsScoresMatMul(index, p)) return p;
                if (!OnnxGraphIndex.IsOnnxDomain(p.Domain) || !PassThroughOps.Contains(p.OpType)) continue;
                // Where(cond, x, y): the condition is a mask, only the branches carry scores.
                next.AddRange(p.OpType == "Where" ? p.Input.Skip(1) : DataInputs(p));
            }
            frontier = next;
        }
        return null;
    }

    /// <summary>The inputs that carry data (shape/axes operands of Reshape-like ops are skipped).</summary>
    private static IEnumerable<string> DataInputs(NodeProto p) =>
        p.OpType is "Reshape" or "Squeeze" or "Unsqueeze" or "Expand" or "Dropout" or "Clip" ? p.Input.Take(1) : p.Input;

    private static string Qualified(NodeProto node) => node.Domain.Length == 0 ? node.OpType : $"{node.Domain}.{node.OpType}";
}
