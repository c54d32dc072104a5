using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Proto;
using static MlNetIso.Onnx.OnnxAttributes;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Transforms.Tests.Onnx.Attention;

/// <summary>
/// Tiny attention graphs in the shapes real exporters and optimisers produce (B=2 rows with lengths 4 and 2, N=2
/// heads, S=4, D=3), each with its double-precision reference as a function of τ.
/// </summary>
internal static class AttentionFixtures
{
    public const int B = 2, N = 2, S = 4, D = 3, H = N * D;
    private static readonly int[] Lengths = [4, 2];

    internal sealed record Fixture(string Name, byte[] Model, (string Name, Array Data, long[] Shape)[] Inputs,
        Func<float[], float[]> ToHeads, Func<double, double[]> Reference, int ExpectedSites);

    public static IEnumerable<string> Names => ["eager", "eager-nomask", "sdpa", "distilbert", "fusedmatmul",
        "fusedmatmul-nomask", "einsum", "ms-attention", "ms-multiheadattention"];

    public static Fixture Create(string name) => name switch
    {
        "eager" => Eager(mask: true, classifierHead: false),
        "eager-nomask" => Eager(mask: false, classifierHead: false),
        "sdpa" => Sdpa(),
        "distilbert" => DistilBert(),
        "fusedmatmul" => FusedMatMul(mask: true),
        "fusedmatmul-nomask" => FusedMatMul(mask: false),
        "einsum" => Einsum(),
        "ms-attention" => MsAttention(),
        "ms-multiheadattention" => MsMultiHeadAttention(),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Eager pattern, optionally with a classifier head Softmax (MatMul with a weight) as output "probs".</summary>
    public static Fixture Eager(bool mask, bool classifierHead)
    {
        var (g, q, k, v) = Start();
        var kT = g.Op("Transpose", ["k"], Ints("perm", 0, 1, 3, 2));
        var scores = g.Op("Div", [g.Op("MatMul", ["q", kT]), g.Scalar(MathF.Sqrt(D))]);
        if (mask) scores = g.Op("Add", [scores, AdditiveMask(g, -10000f)]);
        var context = Finish(g, scores);
        if (classifierHead)
        {
            var pooled = g.Op("ReduceMean", [context], Ints("axes", 2), Int("keepdims", 0));
            var weights = Random(D * 3, 9);
            var logits = g.Op("Add", [g.Op("MatMul", [pooled, g.AddInitializer("head.weight", weights, D, 3)]), g.Scalar(0.25f)]);
            g.AddNode("Softmax", [logits], ["probs"], "", Int("axis", -1));
            g.AddOutput("probs", DataType.Float, B, N, 3);
        }
        return Make(g, mask ? "eager" : "eager-nomask", q, k, v, 1 / Math.Sqrt(D), mask);
    }

    private static Fixture Sdpa()
    {
        var (g, q, k, v) = Start();
        var root = MathF.Sqrt(1f / MathF.Sqrt(D));
        var kT = g.Op("Transpose", ["k"], Ints("perm", 0, 1, 3, 2));
        var scores = g.Op("MatMul", [g.Op("Mul", ["q", g.Scalar(root)]), g.Op("Mul", [kT, g.Scalar(root)])]);
        var masked = g.Op("Add", [scores, AdditiveMask(g, float.MinValue)]);
        Finish(g, masked);
        return Make(g, "sdpa", q, k, v, root * (double)root, true);
    }

    private static Fixture DistilBert()
    {
        var (g, q, k, v) = Start();
        var kT = g.Op("Transpose", ["k"], Ints("perm", 0, 1, 3, 2));
        var scores = g.Op("MatMul", [g.Op("Div", ["q", g.Scalar(MathF.Sqrt(D))]), kT]);
        var maskU = g.Op("Unsqueeze", ["mask", g.Int64s(1, 2)]);
        var padded = g.Op("Equal", [maskU, g.AddInitializer("zero", [0L])]);
        Finish(g, g.Op("Where", [padded, g.Scalar(float.NegativeInfinity), scores]));
        return Make(g, "distilbert", q, k, v, 1 / Math.Sqrt(D), true);
    }

    private static Fixture FusedMatMul(bool mask)
    {
        var (g, q, k, v) = Start();
        g.ImportOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
        var scores = g.AddNode("FusedMatMul", ["q", "k"], [g.Fresh("scores")], OnnxGraphBuilder.MicrosoftDomain,
            Float("alpha", 1f / MathF.Sqrt(D)), Int("transA", 0), Int("transB", 1)).Output[0];
        if (mask) scores = g.Op("Add", [scores, AdditiveMask(g, -10000f)]);
        Finish(g, scores);
        return Make(g, mask ? "fusedmatmul" : "fusedmatmul-nomask", q, k, v, 1 / Math.Sqrt(D), mask);
    }

    private static Fixture Einsum()
    {
        var (g, q, k, v) = Start();
        var scores = g.Op("Einsum", ["q", "k"], String("equation", "bnid,bnjd->bnij"));
        var masked = g.Op("Add", [g.Op("Mul", [scores, g.Scalar(1f / MathF.Sqrt(D))]), AdditiveMask(g, -10000f)]);
        var probs = g.Op("Softmax", [masked], Int("axis", -1));
        g.AddNode("Einsum", [probs, "v"], ["context"], "", String("equation", "bnij,bnjd->bnid"));
        g.AddOutput("context", DataType.Float, B, N, S, D);
        return Make(g, "einsum", q, k, v, 1 / Math.Sqrt(D), true);
    }

    private static Fixture MsAttention()
    {
        var g = new OnnxGraphBuilder("attention", 17);
        g.ImportOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
        g.AddInput("x", DataType.Float, B, S, H);
        g.AddInput("mask_index", DataType.Int32, B, S);
        var x = Random(B * S * H, 1);
        var w = Random(H * 3 * H, 2);
        var bias = Random(3 * H, 3);
        g.AddInitializer("qkv.weight", w, H, 3 * H);
        g.AddInitializer("qkv.bias", bias, 3 * H);
        g.AddNode("Attention", ["x", "qkv.weight", "qkv.bias", "mask_index"], ["context"], OnnxGraphBuilder.MicrosoftDomain,
            Int("num_heads", N));
        g.AddOutput("context", DataType.Float, B, S, H);

        float[] Project(int part)
        {
            var result = new float[B * S * H];
            for (var r = 0; r < B * S; r++)
            for (var o = 0; o < H; o++)
            {
                double acc = bias[part * H + o];
                for (var i = 0; i < H; i++) acc += x[r * H + i] * (double)w[i * 3 * H + part * H + o];
                result[r * H + o] = (float)acc;
            }
            return AttentionReference.SplitHeads(result, B, N, S, D);
        }

        var (q, k, v) = (Project(0), Project(1), Project(2));
        return new Fixture("ms-attention", Bytes(g), [("x", x, [B, S, H]), ("mask_index", Int32Mask(), [B, S])],
            a => AttentionReference.SplitHeads(a, B, N, S, D),
            tau => AttentionReference.Compute(q, k, v, B, N, S, D, Lengths, 1 / Math.Sqrt(D), tau), 1);
    }

    private static Fixture MsMultiHeadAttention()
    {
        var g = new OnnxGraphBuilder("mha", 17);
        g.ImportOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
        foreach (var input in new[] { "query", "key", "value" }) g.AddInput(input, DataType.Float, B, S, H);
        g.AddInput("key_padding_mask", DataType.Int32, B, S);
        g.AddInput("attention_bias", DataType.Float, 1, N, S, S);
        g.AddNode("MultiHeadAttention", ["query", "key", "value", "", "key_padding_mask", "attention_bias"], ["context"],
            OnnxGraphBuilder.MicrosoftDomain, Int("num_heads", N));
        g.AddOutput("context", DataType.Float, B, S, H);
        var (q, k, v) = (Random(B * S * H, 4), Random(B * S * H, 5), Random(B * S * H, 6));
        var attentionBias = Random(N * S * S, 7);
        return new Fixture("ms-multiheadattention", Bytes(g),
            [("query", q, [B, S, H]), ("key", k, [B, S, H]), ("value", v, [B, S, H]),
             ("key_padding_mask", Int32Mask(), [B, S]), ("attention_bias", attentionBias, [1, N, S, S])],
            a => AttentionReference.SplitHeads(a, B, N, S, D),
            tau => AttentionReference.Compute(Heads(q), Heads(k), Heads(v), B, N, S, D, Lengths, 1 / Math.Sqrt(D), tau,
                attentionBias), 1);
    }

    /// <summary>A graph with a Softmax over x·W only (no attention).</summary>
    public static byte[] ClassifierOnly()
    {
        var g = new OnnxGraphBuilder("classifier", 17);
        g.AddInput("x", DataType.Float, "batch", 4);
        var logits = g.Op("MatMul", ["x", g.AddInitializer("w", Random(12, 8), 4, 3)]);
        g.AddNode("Softmax", [logits], ["probs"], "", Int("axis", -1));
        g.AddOutput("probs", DataType.Float, "batch", 3);
        return Bytes(g);
    }

    public static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(3 * rng.NextDouble() - 1.5)).ToArray();
    }

    private static (OnnxGraphBuilder G, float[] Q, float[] K, float[] V) Start()
    {
        var g = new OnnxGraphBuilder("attention", 17);
        foreach (var input in new[] { "q", "k", "v" }) g.AddInput(input, DataType.Float, B, N, S, D);
        g.AddInput("mask", DataType.Int64, B, S);
        return (g, Random(B * N * S * D, 11), Random(B * N * S * D, 12), Random(B * N * S * D, 13));
    }

    /// <summary>(1 − mask)·fill shaped [B, 1, 1, S].</summary>
    private static string AdditiveMask(OnnxGraphBuilder g, float fill)
    {
        var m = g.Op("Unsqueeze", [g.Op("Cast", ["mask"], Int("to", (long)DataType.Float)), g.Int64s(1, 2)]);
        return g.Op("Mul", [g.Op("Sub", [g.Scalar(1f), m]), g.Scalar(fill)]);
    }

    private static string Finish(OnnxGraphBuilder g, string scores)
    {
        var probs = g.Op("Softmax", [scores], Int("axis", -1));
        g.AddNode("MatMul", [probs, "v"], ["context"]);
        g.AddOutput("context", DataType.Float, B, N, S, D);
        return "context";
    }

    private static Fixture Make(OnnxGraphBuilder g, string name, float[] q, float[] k, float[] v, double scale, bool masked)
    {
        var lengths = masked ? Lengths : [S, S];
        var mask = new long[B * S];
        for (var b = 0; b < B; b++)
        for (var s = 0; s < Lengths[b]; s++)
            mask[b * S + s] = 1;
        long[] shape = [B, N, S, D];
        return new Fixture(name, Bytes(g), [("q", q, shape), ("k", k, shape), ("v", v, shape), ("mask", mask, [B, S])],
            a => a, tau => AttentionReference.Compute(q, k, v, B, N, S, D, lengths, scale, tau), 1);
    }

    private static int[] Int32Mask()
    {
        var mask = new int[B * S];
        for (var b = 0; b < B; b++)
        for (var s = 0; s < Lengths[b]; s++)
            mask[b * S + s] = 1;
        return mask;
    }

    private static float[] Heads(float[] x) => AttentionReference.SplitHeads(x, B, N, S, D);

    private static byte[] Bytes(OnnxGraphBuilder g) => g.ToModel("MlNetIso.Tests").ToByteArray();
}
