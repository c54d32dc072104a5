using MlNetIso.Onnx;
using MlNetIso.Onnx.Proto;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// The longest token sequence an encoder graph can embed: the number of rows of its absolute position-embedding table
/// (and, when the position ids are a slice of a stored 0..P−1 constant, that constant's length). A longer sequence
/// makes ONNX Runtime fail inside the graph ("broadcast … 512 by 513"), so the transform checks MaxTokens against this
/// limit when it is fitted or loaded.
/// </summary>
/// <remarks>
/// Found by structure, as exporters leave the tables unnamed: the fused <c>EmbedLayerNormalization</c>'s position
/// table (input 3); otherwise the terms of the Add chain that sums the word embeddings (the Gather of a constant table
/// indexed by <c>input_ids</c>) with the other embeddings: a Gather of a constant table whose indices do not come from
/// <c>token_type_ids</c>, or a Slice of the first rows of a constant table. Null for graphs without an absolute
/// position table (relative or rotary positions, or an unrecognised layout).
/// </remarks>
internal static class EncoderPositionLimit
{
    /// <summary>The position limit of <paramref name="model"/>, or null when the graph has no recognisable position table.</summary>
    public static int? Find(ModelProto model, string idsInputName = EncoderSignature.InputIdsName)
    {
        var view = new BertGraphView(model, "", "model");
        long? limit = null;
        void Candidate(long rows)
        {
            if (rows > 0) limit = limit is { } l ? Math.Min(l, rows) : rows;
        }

        foreach (var node in model.Graph.Node)
            if (node.OpType == "EmbedLayerNormalization" && node.Input.Count > 3 && view.Table(node.Input[3]) is { } fused)
                Candidate(fused.Dims[0]);

        foreach (var gather in model.Graph.Node)
        {
            if (gather.OpType != "Gather" || gather.Input.Count != 2 || view.Table(gather.Input[0]) is null
                || !view.Reaches(gather.Input[1], idsInputName))
                continue;
            var sum = gather.Output[0];
            for (var guard = 0; guard < 8 && view.Uses(sum) is [{ OpType: "Add" } add]; guard++)
            {
                var other = add.Input[0] == sum ? add.Input[1] : add.Input[0];
                foreach (var rows in TermRows(view, other, 0)) Candidate(rows);
                sum = add.Output[0];
            }
        }
        return limit is { } found ? (int)Math.Min(found, int.MaxValue) : null;
    }

    /// <summary>Row counts of the position tables feeding one term of the embeddings sum.</summary>
    private static IEnumerable<long> TermRows(BertGraphView view, string value, int depth)
    {
        if (depth > 4 || view.Index.Producer(value) is not { } p) yield break;
        switch (p.OpType)
        {
            case "Add":
                foreach (var r in TermRows(view, p.Input[0], depth + 1)) yield return r;
                foreach (var r in TermRows(view, p.Input[1], depth + 1)) yield return r;
                break;
            case "Gather" when BertGraphView.AxisOf(p) == 0 && p.Input.Count == 2 && view.Table(p.Input[0]) is { } table:
                if (view.Reaches(p.Input[1], "position_ids"))
                {
                    yield return table.Dims[0];
                }
                else if (PositionRangeLength(view, p.Input[1]) is { } length)
                {
                    yield return table.Dims[0];
                    if (length > 0) yield return length;
                }
                break;
            case "Slice" when p.Input.Count >= 3 && view.Table(p.Input[0]) is { } sliced:
                yield return sliced.Dims[0];
                break;
        }
    }

    /// <summary>
    /// When <paramref name="ids"/> is 0..S−1 — Range(0, S, 1), or a Slice from 0 of a stored constant 0, 1, …, P−1 —
    /// the length P of that constant (0 for a Range, which has no stored end); null for any other index (token types).
    /// </summary>
    private static long? PositionRangeLength(BertGraphView view, string ids)
    {
        var value = view.ThroughPassThrough(ids);
        switch (view.Index.Producer(value))
        {
            case { OpType: "Range" } range:
                return view.Scalar(range.Input[0]) == 0 && view.Scalar(range.Input[2]) == 1 ? 0 : null;
            case { OpType: "Slice" } slice when slice.Input.Count >= 3 && view.Longs(slice.Input[1]) is { } starts && starts.All(s => s == 0):
                if (view.Longs(slice.Input[0]) is not { Length: > 0 } stored) return null;
                for (var i = 0; i < stored.Length; i++)
                    if (stored[i] != i) return null;
                return stored.Length;
            default:
                return null;
        }
    }
}
