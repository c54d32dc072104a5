using Microsoft.ML;
using MlNetIso.Onnx;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Tests.Encoders;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// Issue 13, row 7: MaxTokens above the encoder's position table (513 on a 512-position model) used to pass Fit and
/// fail in ONNX Runtime at Transform ("broadcast … 512 by 513"). The limit is now read from the graph (and config.json)
/// and checked at Fit and GetOutputSchema, with the limit in the message.
/// </summary>
[Collection(BuiltInCacheCollection.Name)]
public sealed class ModelLimitTests(TempModelCache cache)
{
    private static readonly string LongText = string.Join(' ', Enumerable.Repeat("the movie was really long", 40));

    /// <summary>The graph has 64 positions; config.json (when written) says 64, or fewer (then it is the limit).</summary>
    [Theory]
    [InlineData(null, 65, 64, "rows of the model graph's position-embedding table")]
    [InlineData(64, 65, 64, "position-embedding table")]
    [InlineData(48, 49, 48, "max_position_embeddings in")]
    public void MaxTokensAboveThePositionLimit_FailsAtFitAndGetOutputSchema(int? configPositions, int maxTokens, int limit, string source)
    {
        var encoder = new TestEncoderFolder(seed: 51, maxPositions: 64, writeConfig: configPositions is not null);
        if (configPositions is { } p)
        {
            var config = Path.Combine(encoder.Folder, "config.json");
            File.WriteAllText(config, File.ReadAllText(config).Replace("\"max_position_embeddings\": 64", $"\"max_position_embeddings\": {p}"));
        }
        var ml = new MLContext(1);
        var data = Texts(ml, [LongText]);
        var options = encoder.Options();
        options.MaxTokens = maxTokens;
        var estimator = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options);

        var atFit = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Equal("MaxTokens", atFit.ParamName);
        Assert.Contains($"MaxTokens ({maxTokens}) must not exceed the encoder's {limit} positions", atFit.Message);
        Assert.Contains(source, atFit.Message);

        var atSchema = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(TextShape(ml)));
        Assert.Contains($"{limit} positions", atSchema.Message);
    }

    [Fact]
    public void MaxTokensAtTheLimit_EmbedsALongText()
    {
        var encoder = new TestEncoderFolder(seed: 52, maxPositions: 64, writeConfig: false);
        var ml = new MLContext(1);
        var data = Texts(ml, [LongText]);
        using var model = ml.Transforms.Text.ApplyTempScaleEmbedding("E", encoder.ModelPath, "Text").Fit(data);
        Assert.Equal(64, model.MaxTokens); // unset: the graph's limit, not the old default of 512
        Assert.Single(ReadVectors(model.Transform(data), "E"));
    }

    [Theory]
    [InlineData("all-MiniLM-L6-v2", 512)]
    [InlineData("snowflake-arctic-embed-xs", 512)]
    public void PositionLimit_IsFoundInRealExportedGraphs(string name, int expected)
    {
        var model = OnnxModelFile.Load(Path.Combine(cache.Folder(name), "model.onnx"));
        Assert.Equal(expected, EncoderPositionLimit.Find(model));
    }

    [Fact]
    public void PositionLimit_IsFoundInTheWritersGraphAndTheDemoEncoder()
    {
        Assert.Equal(64, EncoderPositionLimit.Find(OnnxModelFile.Load(new TestEncoderFolder(seed: 53, maxPositions: 64).ModelPath)));
        Assert.Equal(512, EncoderPositionLimit.Find(OnnxModelFile.Load(Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini", "model.onnx"))));
    }

    private sealed class NoInput
    {
    }

    /// <summary>SchemaShape.Create is internal: a shape with a text column "Text" from a throw-away custom mapping.</summary>
    private static SchemaShape TextShape(MLContext ml) =>
        ml.Transforms.CustomMapping<NoInput, TextRow>((_, _) => { }, null).GetOutputSchema(new SchemaShape([]));
}
