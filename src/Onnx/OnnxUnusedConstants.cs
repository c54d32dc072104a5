using MlNetIso.Onnx.Proto;

namespace MlNetIso.Onnx;

/// <summary>
/// Removes constants that a graph rewrite replaced and nothing reads any more: initializers (with the graph-input and
/// value_info entries that name them, as older exporters list initializers among the inputs) and <c>Constant</c>
/// nodes. A value still read by any node — in the main graph or in a subgraph of an If/Loop/Scan body, which may refer
/// to outer-scope names — or listed as a graph output is kept. Leaving replaced constants behind is harmless for the
/// result, but ONNX Runtime then warns once per constant ("Removing initializer … It is not used by any node") every
/// time a session is created.
/// </summary>
internal static class OnnxUnusedConstants
{
    /// <summary>Removes those of <paramref name="candidates"/> that are unused in <paramref name="graph"/>; returns how many.</summary>
    public static int Remove(GraphProto graph, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(candidates);
        var wanted = new HashSet<string>(candidates, StringComparer.Ordinal);
        if (wanted.Count == 0) return 0;
        var used = new HashSet<string>(StringComparer.Ordinal);
        CollectUses(graph, used);
        wanted.ExceptWith(used);
        if (wanted.Count == 0) return 0;

        var removed = 0;
        for (var i = graph.Initializer.Count - 1; i >= 0; i--)
        {
            if (!wanted.Contains(graph.Initializer[i].Name)) continue;
            graph.Initializer.RemoveAt(i);
            removed++;
        }
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (node.OpType != "Constant" || !OnnxGraphIndex.IsOnnxDomain(node.Domain) || node.Output.Count != 1 || !wanted.Contains(node.Output[0]))
                continue;
            graph.Node.RemoveAt(i);
            removed++;
        }
        for (var i = graph.Input.Count - 1; i >= 0; i--)
            if (wanted.Contains(graph.Input[i].Name)) graph.Input.RemoveAt(i);
        for (var i = graph.ValueInfo.Count - 1; i >= 0; i--)
            if (wanted.Contains(graph.ValueInfo[i].Name)) graph.ValueInfo.RemoveAt(i);
        return removed;
    }

    private static void CollectUses(GraphProto graph, HashSet<string> used)
    {
        foreach (var output in graph.Output) used.Add(output.Name);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
                if (input.Length > 0) used.Add(input);
            foreach (var attribute in node.Attribute)
            {
                if (attribute.G is { } subgraph) CollectUses(subgraph, used);
                foreach (var g in attribute.Graphs) CollectUses(g, used);
            }
        }
    }
}
