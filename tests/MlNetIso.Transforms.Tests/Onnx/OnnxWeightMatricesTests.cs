using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Weights;
using MlNetIso.Transforms.Encoders;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Transforms.Tests.Onnx;

public class OnnxWeightMatricesTests
{
    /// <summary>
    /// x [b, 4] → MatMul(onnx::MatMul_7) → Add(encoder.layer.2.attention.self.query.bias) → MatMul(12) in a node named
    /// like an exporter's path → Gemm(onnx::Gemm_9, classifier.bias); plus a named table, an int64 matrix and a 1-D bias.
    /// </summary>
    private static byte[] SampleModel()
    {
        var g = new OnnxGraphBuilder("g", 17);
        g.AddInput("x", DataType.Float, "batch", 4);
        var q = g.Op("MatMul", ["x", g.AddInitializer("onnx::MatMul_7", Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 4, 3)]);
        q = g.Op("Add", [g.AddInitializer("encoder.layer.2.attention.self.query.bias", [0f, 0f, 0f], 3), q]);
        var dense = g.AddInitializer("12", [1f, 0, 0, 0, 2f, 0, 0, 0, 3f], 3, 3);
        var d = g.AddNode("MatMul", [q, dense], ["d"]);
        d.Name = "/encoder/layer.2/output/dense/MatMul";
        var head = g.Op("Gemm", ["d", g.AddInitializer("onnx::Gemm_9", [1f, 2, 3, 4, 5, 6], 3, 2), g.AddInitializer("classifier.bias", [0f, 0f], 2)]);
        g.AddNode("Identity", [head], ["y"]);
        g.AddInitializer("embeddings.word_embeddings.weight", [1f, 2, 3, 4], 2, 2);
        g.AddInitializer("onnx::Shape_3", [1L, 2, 3, 4], 2, 2);
        g.AddOutput("y", DataType.Float, "batch", 2);
        return g.ToModel("test").ToByteArray();
    }

    [Fact]
    public void Listing_NamesAnonymousWeightsByTheirBiasOrNodePath_AndSkipsNonFloatAndNon2D()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(path, SampleModel());
        var weights = OnnxWeightMatrices.Open(path);
        Assert.Equal(
            [("onnx::MatMul_7", "encoder.layer.2.attention.self.query.weight", 4, 3), ("12", "encoder.layer.2.output.dense.weight", 3, 3),
             ("onnx::Gemm_9", "classifier.weight", 3, 2), ("embeddings.word_embeddings.weight", "embeddings.word_embeddings.weight", 2, 2)],
            weights.Matrices.Select(m => (m.InitializerName, m.ParameterName, m.Rows, m.Columns)));
        Assert.Equal(["MatMul"], weights.Matrices[0].Consumers);
        Assert.Equal(["Gemm"], weights.Matrices[2].Consumers);
        Assert.Empty(weights.Matrices[3].Consumers);
        Assert.Equal([WeightMatrixRole.Query, WeightMatrixRole.FeedForwardOut, WeightMatrixRole.Head, WeightMatrixRole.Embedding],
            weights.Matrices.Select(m => m.Role));
        Assert.Equal([2, 2, null, null], weights.Matrices.Select(m => m.Layer));

        Assert.Same(weights.Matrices[0], weights.Find("onnx::MatMul_7"));
        Assert.Same(weights.Matrices[0], weights.Find("encoder.layer.2.attention.self.query.weight"));
        Assert.Null(weights.Find("onnx::Shape_3"));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), weights.ReadValues(weights.Matrices[0]));
        var foreign = weights.Matrices[0] with { InitializerName = "missing" };
        Assert.Contains("missing", Assert.Throws<ArgumentException>(() => weights.ReadValues(foreign)).Message);
    }

    [Fact]
    public void ExternalData_IsReadFromTheModelFolder()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "model.onnx");
        OnnxTestFiles.WriteWithExternalData(SampleModel(), path, "model.onnx.data", minElements: 6);
        var weights = OnnxWeightMatrices.Open(path);
        Assert.Equal([1f, 0, 0, 0, 2f, 0, 0, 0, 3f], weights.ReadValues(weights.Find("12")!));
        Assert.Equal([1f, 2, 3, 4, 5, 6], weights.ReadValues(weights.Find("classifier.weight")!));
    }

    [Fact]
    public void CorruptOrMissingModel_IsReportedWithItsPath()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "model.onnx");
        Assert.Throws<FileNotFoundException>(() => OnnxWeightMatrices.Open(path));
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => OnnxWeightMatrices.Open(path)).Message);
    }

    [Fact]
    public void DemoEncoder_ListsEveryMatrixOfItsCheckpoint_WithTheSameValues()
    {
        // The ONNX graph stores MatMul weights as [in, out]; the safetensors checkpoint as PyTorch's [out, in].
        var folder = Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");
        var weights = OnnxWeightMatrices.Open(Path.Combine(folder, "model.onnx"));
        var checkpoint = SafeTensors.Read(Path.Combine(folder, "model.safetensors")).Where(t => t.Value.Shape.Length == 2).ToDictionary();
        Assert.Equal(checkpoint.Keys.Order(StringComparer.Ordinal), weights.Matrices.Select(m => m.ParameterName).Order(StringComparer.Ordinal));
        foreach (var m in weights.Matrices)
        {
            var stored = weights.ReadValues(m);
            var reference = checkpoint[m.ParameterName];
            bool transposed = m.Consumers.Contains("MatMul");
            Assert.Equal(transposed ? [m.Columns, m.Rows] : [m.Rows, m.Columns], reference.Shape.Select(d => (int)d));
            for (int i = 0; i < m.Rows; i += 7)
                for (int j = 0; j < m.Columns; j += 5)
                    Assert.Equal(stored[i * m.Columns + j], reference.Data[transposed ? j * m.Rows + i : i * m.Columns + j]);
        }
        Assert.Equal(6, weights.Matrices.Count(m => m.Layer == 1));
    }

    [Theory]
    [InlineData("encoder.layer.11.attention.self.query.weight", 11, WeightMatrixRole.Query)]
    [InlineData("encoder.layer.0.attention.self.key.weight", 0, WeightMatrixRole.Key)]
    [InlineData("encoder.layer.3.attention.self.value.weight", 3, WeightMatrixRole.Value)]
    [InlineData("encoder.layer.3.attention.output.dense.weight", 3, WeightMatrixRole.AttentionOutput)]
    [InlineData("encoder.layer.3.intermediate.dense.weight", 3, WeightMatrixRole.FeedForwardIn)]
    [InlineData("encoder.layer.3.output.dense.weight", 3, WeightMatrixRole.FeedForwardOut)]
    [InlineData("model.layers.7.self_attn.q_proj.weight", 7, WeightMatrixRole.Query)]
    [InlineData("model.layers.7.self_attn.o_proj.weight", 7, WeightMatrixRole.AttentionOutput)]
    [InlineData("model.layers.7.mlp.down_proj.weight", 7, WeightMatrixRole.FeedForwardOut)]
    [InlineData("transformer.h.2.mlp.c_fc.weight", 2, WeightMatrixRole.FeedForwardIn)]
    [InlineData("distilbert.transformer.layer.4.ffn.lin2.weight", 4, WeightMatrixRole.FeedForwardOut)]
    [InlineData("embeddings.position_embeddings.weight", null, WeightMatrixRole.Embedding)]
    [InlineData("pooler.dense.weight", null, WeightMatrixRole.Pooler)]
    [InlineData("lm_head.weight", null, WeightMatrixRole.Head)]
    [InlineData("classifier.weight", null, WeightMatrixRole.Head)]
    [InlineData("onnx::MatMul_1234", null, WeightMatrixRole.Other)]
    [InlineData("player.10.weight", null, WeightMatrixRole.Other)]
    public void Naming_ReadsLayerAndRole(string name, int? layer, WeightMatrixRole role)
    {
        Assert.Equal(layer, WeightMatrixNaming.Layer(name));
        Assert.Equal(role, WeightMatrixNaming.Role(name));
    }
}
