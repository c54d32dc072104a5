using System.Globalization;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Attention;
using TempScaleRewrite = MlNetIso.Onnx.Attention.TempScale;

namespace MlNetIso.Transforms.Tests.Onnx.Attention;

public class TempScaleTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Patterns => new(AttentionFixtures.Names);

    [Theory]
    [MemberData(nameof(Patterns))]
    public void RewrittenPattern_MatchesSoftmaxOfScaledLogitsOverTemperature(string pattern)
    {
        var fixture = AttentionFixtures.Create(pattern);
        var original = fixture.ToHeads(OrtRunner.Run(fixture.Model, fixture.Inputs, "context")[0]);
        Assert.True(AttentionReference.MaxAbsDiff(original, fixture.Reference(1.0)) <= Tolerance, "original graph vs reference");

        foreach (var tau in new[] { 0.5f, 0.8f, 2f })
        {
            var result = TempScaleRewrite.Rewrite(fixture.Model, tau);
            Assert.Equal(fixture.ExpectedSites, result.RewrittenSites);
            var rewritten = fixture.ToHeads(OrtRunner.Run(result.Model, fixture.Inputs, "context")[0]);
            var diff = AttentionReference.MaxAbsDiff(rewritten, fixture.Reference(tau));
            Assert.True(diff <= Tolerance, $"{pattern} at τ={tau}: max diff {diff:E3}");
        }
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void TemperatureOne_GivesIdenticalOutputs(string pattern)
    {
        var fixture = AttentionFixtures.Create(pattern);
        var result = TempScaleRewrite.Rewrite(fixture.Model, 1f);
        Assert.Equal(fixture.ExpectedSites, result.RewrittenSites);
        Assert.Equal(OrtRunner.Run(fixture.Model, fixture.Inputs, "context")[0],
            OrtRunner.Run(result.Model, fixture.Inputs, "context")[0]);
    }

    [Theory]
    [InlineData("eager-nomask", "Div")]
    [InlineData("fusedmatmul-nomask", "FusedMatMul")]
    public void ExactScaleConstants_AreFoldedWithoutNewNodes(string pattern, string foldedOp)
    {
        var fixture = AttentionFixtures.Create(pattern);
        var before = OnnxModelFile.Parse(fixture.Model, pattern).Graph;
        var after = OnnxModelFile.Parse(TempScaleRewrite.Rewrite(fixture.Model, 0.5f).Model, pattern).Graph;
        Assert.Equal(before.Node.Count, after.Node.Count);
        Assert.Contains(after.Node, n => n.OpType == foldedOp);
    }

    [Fact]
    public void APaddingMaskAddedAfterTheScale_DoesNotPreventFoldingWhenTauIsAtMostOne()
    {
        var fixture = AttentionFixtures.Create("eager");
        var before = OnnxModelFile.Parse(fixture.Model, "eager").Graph;
        var after = OnnxModelFile.Parse(TempScaleRewrite.Rewrite(fixture.Model, 0.5f).Model, "eager").Graph;
        Assert.Equal(before.Node.Count, after.Node.Count);
        var softmax = after.Node.Single(n => n.OpType == "Softmax");
        Assert.Equal("Add", after.Node.Single(n => n.Output.Contains(softmax.Input[0])).OpType);
    }

    [Theory]
    [InlineData("eager", 2f)]
    [InlineData("distilbert", 0.5f)]
    public void MaskedPatterns_GetOneMulBeforeEachSoftmaxWhenFoldingIsNotExact(string pattern, float tau)
    {
        var fixture = AttentionFixtures.Create(pattern);
        var graph = OnnxModelFile.Parse(TempScaleRewrite.Rewrite(fixture.Model, tau).Model, pattern).Graph;
        var softmax = graph.Node.Single(n => n.OpType == "Softmax");
        var mul = graph.Node.Single(n => n.Output.Contains(softmax.Input[0]));
        Assert.Equal("Mul", mul.OpType);
        Assert.Equal(1f / tau, OnnxTensors.ToFloats(graph.Initializer.Single(t => t.Name == mul.Input[1]))[0]);
        Assert.True(graph.Node.IndexOf(mul) < graph.Node.IndexOf(softmax));
    }

    [Fact]
    public void FusedAttentionScaleAndMaskFilter_AreDividedByTemperature()
    {
        var fixture = AttentionFixtures.Create("ms-attention");
        var graph = OnnxModelFile.Parse(TempScaleRewrite.Rewrite(fixture.Model, 0.5f).Model, "ms-attention").Graph;
        var node = graph.Node.Single(n => n.OpType == "Attention");
        Assert.Equal(2f / MathF.Sqrt(AttentionFixtures.D), OnnxAttributes.Find(node, "scale")!.F, 6);
        Assert.Equal(-20000f, OnnxAttributes.Find(node, "mask_filter_value")!.F);
    }

    [Fact]
    public void ClassifierHeadSoftmax_IsLeftUnchanged()
    {
        var fixture = AttentionFixtures.Eager(mask: true, classifierHead: true);
        var result = TempScaleRewrite.Rewrite(fixture.Model, 0.5f);
        Assert.Equal(1, result.RewrittenSites);

        var before = OrtRunner.Run(fixture.Model, fixture.Inputs, "context", "probs");
        var after = OrtRunner.Run(result.Model, fixture.Inputs, "context", "probs");
        Assert.True(AttentionReference.MaxAbsDiff(after[0], fixture.Reference(0.5)) <= Tolerance);
        Assert.NotEqual(before[1], after[1]); // the head sees a different context...
        var graph = OnnxModelFile.Parse(result.Model, "head").Graph;
        var headSoftmax = graph.Node.Single(n => n.Output.Contains("probs"));
        Assert.Equal("Add", graph.Node.Single(n => n.Output.Contains(headSoftmax.Input[0])).OpType); // ...but its input is not rescaled
    }

    [Fact]
    public void GraphWithoutAttention_IsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => TempScaleRewrite.Rewrite(AttentionFixtures.ClassifierOnly(), 0.5f));
        Assert.Contains("no self-attention site", e.Message);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(1e-45f)]
    public void InvalidTemperature_IsRefused(float tau)
    {
        var model = AttentionFixtures.Create("eager").Model;
        Assert.Throws<ArgumentOutOfRangeException>(() => TempScaleRewrite.Rewrite(model, tau));
    }

    [Theory]
    [InlineData("eager")]
    [InlineData("eager-nomask")]
    [InlineData("ms-attention")]
    public void RewritingTwice_ComposesTemperatures(string pattern)
    {
        var fixture = AttentionFixtures.Create(pattern);
        var first = TempScaleRewrite.Rewrite(fixture.Model, 0.5f);
        var second = TempScaleRewrite.Rewrite(first.Model, 0.8f);
        Assert.Equal(0.4f, second.Temperature, 6);
        var output = fixture.ToHeads(OrtRunner.Run(second.Model, fixture.Inputs, "context")[0]);
        Assert.True(AttentionReference.MaxAbsDiff(output, fixture.Reference(0.4)) <= Tolerance);

        using var session = OrtRunner.Session(second.Model);
        var recorded = double.Parse(session.ModelMetadata.CustomMetadataMap[TempScaleRewrite.MetadataKey], CultureInfo.InvariantCulture);
        Assert.Equal(0.4, recorded, 6);
    }

    [Fact]
    public void CorruptBytes_AreRefused()
    {
        Assert.Throws<InvalidDataException>(() => TempScaleRewrite.Rewrite("not an onnx model"u8.ToArray(), 0.5f));
    }
}
