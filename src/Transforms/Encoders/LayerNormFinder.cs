using MlNetIso.Onnx;
using MlNetIso.Onnx.Proto;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Finds the LayerNorm outputs of an ONNX graph: every LayerNorm <see cref="LayerNormMatch"/> recognises (the
/// <c>LayerNormalization</c> operator, or the decomposed ReduceMean/Sub/Pow/Sqrt/Div/Mul/Add form PyTorch exports below
/// opset 17), plus the normalised output of ONNX Runtime's fused com.microsoft <c>SkipLayerNormalization</c> and
/// <c>EmbedLayerNormalization</c> operators. Subgraphs are not searched.
/// </summary>
internal static class LayerNormFinder
{
    private static readonly HashSet<string> FusedMicrosoft = new(StringComparer.Ordinal)
    {
        "SkipLayerNormalization", "EmbedLayerNormalization",
    };

    /// <summary>The value name of every LayerNorm's normalised output in <paramref name="model"/>.</summary>
    public static HashSet<string> Outputs(ModelProto model, string source)
    {
        // Constants of interest (ε, the exponent 2) are stored inline; external data is not read.
        var view = new BertGraphView(model, Directory.GetCurrentDirectory(), source);
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in model.Graph.Node)
        {
            if (node.Output.Count == 0 || node.Input.Count == 0) continue;
            if (node.Domain == OnnxGraphBuilder.MicrosoftDomain && FusedMicrosoft.Contains(node.OpType)) outputs.Add(node.Output[0]);
            else if (node.OpType is "LayerNormalization" or "ReduceMean") candidates.Add(node.Input[0]);
        }
        foreach (var x in candidates)
            if (LayerNormMatch.Find(view.Index, x, view.Scalar) is { } match)
                outputs.Add(match.Output);
        return outputs;
    }
}
