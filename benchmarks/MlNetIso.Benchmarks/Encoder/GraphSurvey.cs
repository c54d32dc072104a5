using Microsoft.ML.OnnxRuntime;
using MlNetIso.Onnx;

namespace MlNetIso.Benchmarks.Encoder;

/// <summary>
/// What ONNX Runtime actually runs: the node types of the graph it saves after optimising a model at a given level
/// (<see cref="SessionOptions.OptimizedModelFilePath"/>), counted by (domain, op type).
/// </summary>
internal static class GraphSurvey
{
    /// <summary>Ops whose presence shows a fusion happened (ONNX Runtime contrib ops and fused standard ops).</summary>
    private static readonly string[] Fused =
    [
        "com.microsoft.Attention", "com.microsoft.MultiHeadAttention", "com.microsoft.SkipLayerNormalization",
        "com.microsoft.EmbedLayerNormalization", "com.microsoft.BiasGelu", "com.microsoft.Gelu", "com.microsoft.FastGelu",
        "com.microsoft.FusedMatMul", "com.microsoft.FusedGemm", "com.microsoft.DynamicQuantizeMatMul",
        "com.microsoft.MatMulIntegerToFloat", "LayerNormalization", "Gemm",
    ];

    /// <summary>The model as ONNX Runtime optimises it at <paramref name="level"/> on the CPU provider.</summary>
    public static byte[] Optimise(byte[] model, GraphOptimizationLevel level)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlnetiso-optimised-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = level, OptimizedModelFilePath = path, IntraOpNumThreads = 1 })
            using (new InferenceSession(model, options))
            {
            }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Node counts by "domain.op" (no prefix for ai.onnx) of a serialised model.</summary>
    public static IReadOnlyDictionary<string, int> OpCounts(byte[] model) =>
        OnnxModelFile.Parse(model, "optimised model").Graph.Node
            .GroupBy(n => n.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Domain}.{n.OpType}")
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>"N nodes; fused: A×6, B×12; MatMul×42, Softmax×6, Transpose×24".</summary>
    public static string Describe(IReadOnlyDictionary<string, int> counts)
    {
        string Part(string op) => counts.TryGetValue(op, out var n) ? $"{op.Replace("com.microsoft.", "ms.", StringComparison.Ordinal)}×{n}" : "";
        var fused = string.Join(", ", Fused.Select(Part).Where(p => p.Length > 0));
        var plain = string.Join(", ", new[] { "MatMul", "Softmax", "Transpose", "Add", "Mul", "Div" }.Select(Part).Where(p => p.Length > 0));
        return $"{counts.Values.Sum()} nodes; fused: {(fused.Length > 0 ? fused : "none")}; {plain}";
    }
}
