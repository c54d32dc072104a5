using System.Globalization;
using MlNetIso.Onnx.Proto;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// One BERT self-attention block found in an ONNX graph: softmax(Q·Kᵀ/√d_head + M)·V over <see cref="Heads"/> heads,
/// up to the attention output dense layer. The three projections are told apart by where their paths meet, not by
/// their names: the value's path meets the softmax output, and of the two that meet in the scores MatMul the left one
/// is the query. The scale applied on the way (Div/Mul by constants on Q, K or the scores) must equal 1/√d_head.
/// </summary>
/// <param name="Query">The query projection.</param>
/// <param name="Key">The key projection.</param>
/// <param name="Value">The value projection.</param>
/// <param name="Heads">Number of heads, from the constant shape of the Reshape after the query.</param>
/// <param name="OutputDense">The MatMul of the attention output dense layer (reads the merged heads).</param>
internal sealed record BertAttentionMatch(BertLinear Query, BertLinear Key, BertLinear Value, int Heads, NodeProto OutputDense)
{
    /// <summary>The attention block of layer <paramref name="layer"/> whose three projections are <paramref name="projections"/>.</summary>
    public static BertAttentionMatch Find(BertGraphView g, IReadOnlyList<NodeProto> projections, long hidden, int layer)
    {
        var traced = projections.Select(m =>
        {
            var linear = g.Linear(m, hidden, hidden, $"layer {layer} attention projection");
            var (end, input, scale, reshape) = FollowToMatMul(g, linear.Output, layer);
            return (Linear: linear, End: end, Input: input, Scale: scale, Reshape: reshape);
        }).ToList();

        var scores = traced.GroupBy(t => t.End).FirstOrDefault(group => group.Count() == 2)
                     ?? throw g.Fail($"layer {layer}: no MatMul combines two of the three projections (the attention scores Q·Kᵀ)");
        var query = scores.Single(t => t.Input == 0);
        var key = scores.Single(t => t.Input == 1);
        var value = traced.Single(t => t.End != scores.Key);
        var (probabilities, scoreScale) = FollowScoresToProbabilities(g, scores.Key.Output[0], layer);
        if (value.End != probabilities || value.Input != 1)
            throw g.Fail($"layer {layer}: the softmax output is not multiplied by the value projection");

        int heads = ReadHeads(g, query.Reshape, hidden, layer);
        long headSize = hidden / heads;
        double scale = query.Scale * key.Scale * scoreScale, expected = 1 / Math.Sqrt(headSize);
        if (Math.Abs(scale - expected) > 1e-3 * expected)
            throw g.Fail(string.Create(CultureInfo.InvariantCulture,
                $"layer {layer}: the attention scores are scaled by {scale:G6}, not 1/√d_head = {expected:G6} (d_head = {headSize})"));

        return new BertAttentionMatch(query.Linear, key.Linear, value.Linear, heads, FollowToDense(g, probabilities.Output[0], layer));
    }

    /// <summary>From a projection through Reshape/Transpose/constant scales to the first MatMul of two activations.</summary>
    private static (NodeProto End, int Input, double Scale, NodeProto? Reshape) FollowToMatMul(BertGraphView g, string value, int layer)
    {
        double scale = 1;
        NodeProto? reshape = null;
        for (int guard = 0; guard < 32; guard++)
        {
            var n = g.SoleUse(value, layer, $"the projection '{value}'", "the attention MatMul");
            switch (n.OpType)
            {
                case "Reshape" when n.Input[0] == value:
                    reshape ??= n;
                    break;
                case "Transpose" or "Cast" or "Identity":
                    break;
                case "Div" when n.Input[0] == value && g.Scalar(n.Input[1]) is { } d:
                    scale /= d;
                    break;
                case "Mul" when g.Scalar(n.Input[0] == value ? n.Input[1] : n.Input[0]) is { } m:
                    scale *= m;
                    break;
                case "MatMul" when g.Weight(n.Input[1]) is null && !g.Index.IsConstant(n.Input[0]):
                    return (n, n.Input[0] == value ? 0 : 1, scale, reshape);
                default:
                    throw g.Fail($"layer {layer}: unexpected {n.OpType} node '{n.Name}' between a projection and the attention MatMul");
            }
            value = n.Output[0];
        }
        throw g.Fail($"layer {layer}: no attention MatMul within 32 nodes of a projection");
    }

    /// <summary>From the scores through constant scales, the mask Add, Softmax (and Dropout) to the probabilities·V MatMul.</summary>
    private static (NodeProto Probabilities, double Scale) FollowScoresToProbabilities(BertGraphView g, string scores, int layer)
    {
        double scale = 1;
        var value = scores;
        bool softmax = false;
        for (int guard = 0; guard < 32; guard++)
        {
            var n = g.SoleUse(value, layer, "the attention-score value", "the softmax");
            switch (n.OpType)
            {
                case "Div" when !softmax && n.Input[0] == value && g.Scalar(n.Input[1]) is { } d:
                    scale /= d;
                    break;
                case "Mul" when !softmax && g.Scalar(n.Input[0] == value ? n.Input[1] : n.Input[0]) is { } m:
                    scale *= m;
                    break;
                case "Add" or "Where" when !softmax:
                    break; // the additive attention mask
                case "Softmax":
                    softmax = true;
                    break;
                case "Dropout" or "Identity" or "Cast" when softmax:
                    break;
                case "MatMul" when softmax && n.Input[0] == value:
                    return (n, scale);
                default:
                    throw g.Fail($"layer {layer}: unexpected {n.OpType} node '{n.Name}' between the attention scores and " +
                                 (softmax ? "the probabilities·V MatMul" : "the softmax"));
            }
            value = n.Output[0];
        }
        throw g.Fail($"layer {layer}: no Softmax after the attention scores");
    }

    /// <summary>Heads from the Reshape's constant shape [.., heads, head_size] (a constant, or a Concat ending in two constants).</summary>
    private static int ReadHeads(BertGraphView g, NodeProto? reshape, long hidden, int layer)
    {
        long[]? shape = null;
        if (reshape is not null)
        {
            shape = g.Longs(reshape.Input[1]);
            if (shape is null && g.Index.Producer(reshape.Input[1]) is { OpType: "Concat" } concat && concat.Input.Count >= 2
                && g.Longs(concat.Input[^2]) is [var h] && g.Longs(concat.Input[^1]) is [var d])
                shape = [h, d];
        }
        if (shape is null || shape.Length < 2)
            throw g.Fail($"layer {layer}: cannot read the number of heads from the Reshape after the query projection (no constant [.., heads, head_size] shape)");
        long heads = shape[^2], headSize = shape[^1];
        if (headSize == -1 && heads > 0) headSize = hidden / heads;
        if (heads == -1 && headSize > 0) heads = hidden / headSize;
        if (heads <= 0 || headSize <= 0 || heads * headSize != hidden)
            throw g.Fail($"layer {layer}: the query Reshape splits hidden {hidden} into {heads} heads of {headSize}");
        return checked((int)heads);
    }

    /// <summary>From the attention context through Transpose/Reshape to the output dense MatMul.</summary>
    private static NodeProto FollowToDense(BertGraphView g, string context, int layer)
    {
        var value = context;
        for (int guard = 0; guard < 16; guard++)
        {
            var n = g.SoleUse(value, layer, "the attention context", "the output dense");
            if (n.OpType == "MatMul" && n.Input[0] == value && g.Weight(n.Input[1]) is not null) return n;
            if (n.OpType is not ("Transpose" or "Reshape" or "Identity" or "Cast"))
                throw g.Fail($"layer {layer}: unexpected {n.OpType} node '{n.Name}' between the attention context and the output dense");
            value = n.Output[0];
        }
        throw g.Fail($"layer {layer}: no attention output dense after the context");
    }
}
