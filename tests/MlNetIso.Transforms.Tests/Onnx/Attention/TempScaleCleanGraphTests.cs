using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Proto;
using TempScaleRewrite = MlNetIso.Onnx.Attention.TempScale;

namespace MlNetIso.Transforms.Tests.Onnx.Attention;

/// <summary>
/// The rewrite leaves a clean graph: every initializer it folded away is removed, so ONNX Runtime has nothing to
/// warn about ("Removing initializer … It is not used by any node") when it loads the rewritten model.
/// </summary>
public class TempScaleCleanGraphTests
{
    public static TheoryData<string> FixtureNames => new(AttentionFixtures.Names);

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void RewrittenFixture_HasNoUnusedInitializer(string name)
    {
        var fixture = AttentionFixtures.Create(name);
        Assert.Empty(UnusedInitializers(OnnxModelFile.Parse(fixture.Model, name).Graph)); // clean before, so a leftover is the rewrite's
        foreach (var tau in new[] { 0.5f, 2f })
        {
            var graph = OnnxModelFile.Parse(TempScaleRewrite.Rewrite(fixture.Model, tau).Model, name).Graph;
            Assert.Empty(UnusedInitializers(graph));
        }
    }

    [Fact]
    public void RewrittenDemoEncoder_HasNoUnusedInitializer_AndFoldedEveryScale()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini", "model.onnx"));
        var before = OnnxModelFile.Parse(bytes, "demo").Graph;
        Assert.Empty(UnusedInitializers(before));
        var result = TempScaleRewrite.Rewrite(bytes, 0.8f);
        var after = OnnxModelFile.Parse(result.Model, "demo").Graph;
        Assert.Empty(UnusedInitializers(after));
        Assert.Equal(before.Node.Count, after.Node.Count); // folded into the scale constants: no node inserted
        Assert.Equal(2, result.RewrittenSites);
        // Rewriting twice (τ composes) still leaves nothing behind.
        Assert.Empty(UnusedInitializers(OnnxModelFile.Parse(TempScaleRewrite.Rewrite(result.Model, 0.5f).Model, "demo").Graph));
    }

    [Fact]
    public void ReplacedConstantNode_IsRemovedWhenUnused()
    {
        var g = new OnnxGraphBuilder("constant-node", 17);
        g.AddInput("q", TensorProto.Types.DataType.Float, 1, 2, 3);
        g.AddInput("k", TensorProto.Types.DataType.Float, 1, 3, 2);
        g.AddNode("Constant", [], ["scale"], "", new AttributeProto { Name = "value_float", Type = AttributeProto.Types.AttributeType.Float, F = 0.5f });
        var scaled = g.Op("Mul", [g.Op("MatMul", ["q", "k"]), "scale"]);
        g.AddNode("Softmax", [scaled], ["p"], "", OnnxAttributes.Int("axis", -1));
        g.AddOutput("p", TensorProto.Types.DataType.Float, 1, 2, 2);

        var graph = OnnxModelFile.Parse(TempScaleRewrite.Rewrite(g.ToModel("t").ToByteArray(), 0.5f).Model, "c").Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType == "Constant");
        var mul = graph.Node.Single(n => n.OpType == "Mul");
        Assert.Equal([1f], OnnxTensors.ToFloats(graph.Initializer.Single(t => t.Name == mul.Input[1])));
        Assert.Empty(UnusedInitializers(graph));
    }

    /// <summary>Initializers no node of the graph or of a subgraph reads and no graph output names.</summary>
    private static List<string> UnusedInitializers(GraphProto graph)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        void Collect(GraphProto g)
        {
            foreach (var o in g.Output) used.Add(o.Name);
            foreach (var n in g.Node)
            {
                foreach (var i in n.Input) used.Add(i);
                foreach (var a in n.Attribute)
                {
                    if (a.G is not null) Collect(a.G);
                    foreach (var sub in a.Graphs) Collect(sub);
                }
            }
        }
        Collect(graph);
        return graph.Initializer.Select(t => t.Name).Where(n => !used.Contains(n)).ToList();
    }
}
