using System.Reflection;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>Defaults, copying and AutoML-readiness of <see cref="TempScaleEmbeddingOptions"/> and the catalog overloads.</summary>
public sealed class TempScaleEmbeddingOptionsTests
{
    [Fact]
    public void Defaults_MatchTheDocumentation()
    {
        var o = new TempScaleEmbeddingOptions();
        // Pooling, Normalize, MaxTokens and the prefix default to the model folder's own conventions (null).
        Assert.Equal((1f, (EmbeddingPooling?)null, (bool?)null, (int?)null, 32, LongTextMode.Truncate, EmbeddingExecutionProvider.Cpu),
            (o.Temperature, o.Pooling, o.Normalize, o.MaxTokens, o.BatchSize, o.LongText, o.ExecutionProvider));
        Assert.Equal(EmbeddingTextKind.Document, o.TextKind);
        Assert.Null(o.Prefix);
        Assert.Null(o.VocabularyPath);
        Assert.Null(o.LowerCase);
        Assert.Null(o.StripAccents);
    }

    [Fact]
    public void SimpleOverload_CopiesItsParametersAndTheEstimatorKeepsItsOwnCopy()
    {
        var ml = new MLContext(1);
        var estimator = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "model.onnx", "Text", temperature: 0.25f,
            pooling: EmbeddingPooling.Max, normalize: false, maxTokens: 128, longText: LongTextMode.Chunk, batchSize: 8);
        var o = estimator.Options;
        Assert.Equal(("model.onnx", 0.25f, EmbeddingPooling.Max, false, 128, LongTextMode.Chunk, 8),
            (o.ModelPath, o.Temperature, o.Pooling, o.Normalize, o.MaxTokens, o.LongText, o.BatchSize));
        Assert.Equal(("E", "Text"), (estimator.OutputColumnName, estimator.InputColumnName));
        o.Temperature = 3f;
        Assert.Equal(0.25f, estimator.Options.Temperature);
        Assert.Equal("E", ml.Transforms.Text.ApplyTempScaleEmbedding("E", "model.onnx").InputColumnName);
    }

    [Fact]
    public void Options_RoundTripThroughJsonAndCarrySearchSpaceAttributes()
    {
        var o = new TempScaleEmbeddingOptions
        {
            ModelPath = "m.onnx", Temperature = 0.5f, LowerCase = false, ChunkOverlap = 7, Pooling = EmbeddingPooling.Cls,
            TextKind = EmbeddingTextKind.Query, Prefix = "query: ",
        };
        var back = JsonSerializer.Deserialize<TempScaleEmbeddingOptions>(JsonSerializer.Serialize(o))!;
        Assert.Equal((o.ModelPath, o.Temperature, o.LowerCase, o.ChunkOverlap, o.Pooling, o.Normalize, o.TextKind, o.Prefix),
            (back.ModelPath, back.Temperature, back.LowerCase, back.ChunkOverlap, back.Pooling, back.Normalize, back.TextKind, back.Prefix));
        Assert.NotNull(typeof(TempScaleEmbeddingOptions).GetProperty(nameof(TempScaleEmbeddingOptions.Temperature))!.GetCustomAttribute<RangeAttribute>());
        Assert.NotNull(typeof(TempScaleEmbeddingOptions).GetProperty(nameof(TempScaleEmbeddingOptions.BatchSize))!.GetCustomAttribute<ChoiceAttribute>());
    }

    [Fact]
    public void Fit_LogsTheResolvedSettingsToTheContext()
    {
        var encoder = new TestEncoderFolder();
        var ml = new MLContext(1);
        var messages = new System.Collections.Concurrent.ConcurrentBag<string>();
        ml.Log += (_, e) => messages.Add(e.Message);
        var data = EmbeddingTestData.Texts(ml, ["good"]);
        using var t = ml.Transforms.Text.ApplyTempScaleEmbedding("E", encoder.ModelPath, "Text", temperature: 0.5f).Fit(data);
        Assert.Contains(messages, m => m.Contains("τ = 0.5 (2 attention sites rewritten)") && m.Contains("d = 16"));
    }
}
