using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Attention;
using MlNetIso.Onnx.Proto;
using static MlNetIso.Onnx.OnnxAttributes;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;
using TempScaleRewrite = MlNetIso.Onnx.Attention.TempScale;

namespace MlNetIso.Transforms.Tests.Onnx.Attention;

/// <summary>Graph-level properties of the rewrite that do not need a reference forward pass.</summary>
public class TempScaleGraphTests
{
    [Fact]
    public void InsertedScale_HasTheElementTypeOfAFloat16SoftmaxInput()
    {
        var g = new OnnxGraphBuilder("fp16", 17);
        g.AddInput("q", DataType.Float16, 1, 2, 3);
        g.AddInput("k", DataType.Float16, 1, 3, 2);
        var scores = g.Op("MatMul", ["q", "k"]);
        var mask = g.AddInitializer("mask", [0f, -10000f], 2);
        var masked = g.Op("Add", [scores, g.Op("Cast", [mask], Int("to", (long)DataType.Float16))]);
        g.AddNode("Softmax", [masked], ["p"], "", Int("axis", -1));
        g.AddOutput("p", DataType.Float16, 1, 2, 2);

        var graph = OnnxModelFile.Parse(TempScaleRewrite.Rewrite(g.ToModel("t").ToByteArray(), 0.5f).Model, "fp16").Graph;
        var mul = graph.Node.Single(n => n.OpType == "Mul");
        var scale = graph.Initializer.Single(t => t.Name == mul.Input[1]);
        Assert.Equal((int)DataType.Float16, scale.DataType);
        Assert.Equal(2f, OnnxTensors.ToFloats(scale)[0]);
    }

    [Fact]
    public void AnAddedBiasThatIsNotAPaddingMask_IsScaledToo()
    {
        // softmax((QKᵀ·c + B)/τ) with a learned bias B (a 16-element initializer): folding τ into c would leave B
        // unscaled, so the rewrite must insert Mul(1/τ) before the Softmax instead.
        var g = new OnnxGraphBuilder("bias", 17);
        g.AddInput("q", DataType.Float, 1, 4, 2);
        g.AddInput("k", DataType.Float, 1, 2, 4);
        var scores = g.Op("Mul", [g.Op("MatMul", ["q", "k"]), g.Scalar(0.7f)]);
        var bias = g.AddInitializer("bias", Enumerable.Range(0, 16).Select(i => i * 0.1f).ToArray(), 4, 4);
        g.AddNode("Softmax", [g.Op("Add", [scores, bias])], ["p"], "", Int("axis", -1));
        g.AddOutput("p", DataType.Float, 1, 4, 4);

        var graph = OnnxModelFile.Parse(TempScaleRewrite.Rewrite(g.ToModel("t").ToByteArray(), 0.5f).Model, "bias").Graph;
        var softmax = graph.Node.Single(n => n.OpType == "Softmax");
        var mul = graph.Node.Single(n => n.Output.Contains(softmax.Input[0]));
        Assert.Equal("Mul", mul.OpType);
        Assert.Equal(2f, OnnxTensors.ToFloats(graph.Initializer.Single(t => t.Name == mul.Input[1]))[0]);
        Assert.Contains(graph.Initializer, t => OnnxTensors.ElementCount(t) == 1 && OnnxTensors.ToFloats(t)[0] == 0.7f);
    }

    [Fact]
    public void Folding_DoesNotChangeAScaleConstantSharedWithOtherNodes()
    {
        var g = new OnnxGraphBuilder("shared", 17);
        g.AddInput("q", DataType.Float, 1, 2, 3);
        g.AddInput("k", DataType.Float, 1, 3, 2);
        var root = g.AddInitializer("sqrt_d", [2f]);
        var scaled = g.Op("Div", [g.Op("MatMul", ["q", "k"]), root]);
        g.AddNode("Softmax", [scaled], ["p"], "", Int("axis", -1));
        g.AddNode("Div", ["q", root], ["other"]);
        g.AddOutput("p", DataType.Float, 1, 2, 2);
        g.AddOutput("other", DataType.Float, 1, 2, 3);

        var result = TempScaleRewrite.Rewrite(g.ToModel("t").ToByteArray(), 0.5f);
        var graph = OnnxModelFile.Parse(result.Model, "shared").Graph;
        Assert.Equal([2f], OnnxTensors.ToFloats(graph.Initializer.Single(t => t.Name == "sqrt_d")));
        var attentionDiv = graph.Node.Single(n => n.OpType == "Div" && n.Input[0] != "q");
        Assert.Equal([1f], OnnxTensors.ToFloats(graph.Initializer.Single(t => t.Name == attentionDiv.Input[1])));
        Assert.Equal("sqrt_d", graph.Node.Single(n => n.Output.Contains("other")).Input[1]);

        float[] q = [1, 2, 3, 4, 5, 6], k = [1, 0, 0, 1, 1, 1];
        var inputs = new (string, Array, long[])[] { ("q", q, [1, 2, 3]), ("k", k, [1, 3, 2]) };
        Assert.Equal(OrtRunner.Run(g.ToModel("t").ToByteArray(), inputs, "other")[0], OrtRunner.Run(result.Model, inputs, "other")[0]);
    }

    [Theory]
    [InlineData("GroupQueryAttention", "com.microsoft")]
    [InlineData("PackedAttention", "com.microsoft")]
    [InlineData("Attention", "")]
    public void UnsupportedFusedAttention_IsRefusedByName(string opType, string domain)
    {
        var fixture = AttentionFixtures.Create("eager");
        var model = OnnxModelFile.Parse(fixture.Model, "m");
        model.Graph.Node.Add(new MlNetIso.Onnx.Proto.NodeProto { OpType = opType, Domain = domain, Name = "fused0", Input = { "q" }, Output = { "unused" } });
        var e = Assert.Throws<NotSupportedException>(() => TempScaleRewrite.Rewrite(model.ToByteArray(), 0.5f));
        Assert.Contains("'fused0'", e.Message);
        Assert.Contains(opType, e.Message);
    }
}
