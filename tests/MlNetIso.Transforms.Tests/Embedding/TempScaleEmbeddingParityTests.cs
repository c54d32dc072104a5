using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// The transform against an independent reference (one unpadded ORT run per text, pooled by hand): proves that
/// tokenisation, length sorting, dynamic padding, pooling and reordering are right.
/// </summary>
public sealed class TempScaleEmbeddingParityTests
{
    private static readonly TestEncoderFolder Encoder = new();

    [Theory]
    [InlineData(EmbeddingPooling.Mean, 3, 2)]
    [InlineData(EmbeddingPooling.Mean, 32, 4)]
    [InlineData(EmbeddingPooling.Cls, 4, 1)]
    [InlineData(EmbeddingPooling.Max, 5, 3)]
    public void MixedLengthBatches_MatchUnpaddedReference(EmbeddingPooling pooling, int batchSize, int readAhead)
    {
        var ml = new MLContext(1);
        var texts = TestEncoderFolder.MixedTexts(23, seed: 3);
        var options = Encoder.Options();
        options.Pooling = pooling;
        options.BatchSize = batchSize;
        options.ReadAheadBatches = readAhead;
        var data = Texts(ml, texts);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        var actual = ReadVectors(transformer.Transform(data), "Embedding");

        var tokenizer = Encoder.Tokenizer();
        using var reference = new ReferenceEmbedder(Encoder.ModelBytes);
        Assert.Equal(texts.Length, actual.Count);
        for (var i = 0; i < texts.Length; i++)
            AssertClose(reference.Embed([tokenizer.Encode(texts[i], transformer.MaxTokens)], pooling), actual[i], 1e-5, $"row {i}");
    }

    [Fact]
    public void Temperature_EqualsRunningTheRewrittenModel()
    {
        var ml = new MLContext(1);
        var texts = TestEncoderFolder.MixedTexts(9, seed: 5);
        var data = Texts(ml, texts);
        var options = Encoder.Options(temperature: 0.5f);
        options.BatchSize = 4;
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        Assert.Equal(0.5f, transformer.Temperature);
        Assert.Equal(2, transformer.RewrittenSites); // one attention softmax per layer, heads batched
        var actual = ReadVectors(transformer.Transform(data), "Embedding");

        var rewritten = MlNetIso.Onnx.Attention.TempScale.Rewrite(Encoder.ModelBytes, 0.5f).Model;
        var tokenizer = Encoder.Tokenizer();
        using var reference = new ReferenceEmbedder(rewritten);
        using var plain = new ReferenceEmbedder(Encoder.ModelBytes);
        var differs = false;
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = tokenizer.Encode(texts[i], transformer.MaxTokens);
            AssertClose(reference.Embed([ids]), actual[i], 1e-5, $"row {i}");
            differs |= plain.Embed([ids]).Zip(actual[i]).Any(p => Math.Abs(p.First - p.Second) > 1e-3);
        }
        Assert.True(differs, "τ = 0.5 must change the embeddings of a random encoder.");
    }

    [Fact]
    public void ChunkMode_AveragesWindowsWeightedByTokenCount()
    {
        var ml = new MLContext(1);
        var texts = TestEncoderFolder.MixedTexts(7, seed: 9, maxWords: 60);
        var data = Texts(ml, texts);
        var options = Encoder.Options();
        options.MaxTokens = 12;
        options.ChunkOverlap = 3;
        options.LongText = LongTextMode.Chunk;
        options.BatchSize = 5;
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        var actual = ReadVectors(transformer.Transform(data), "Embedding");

        var tokenizer = Encoder.Tokenizer();
        using var reference = new ReferenceEmbedder(Encoder.ModelBytes);
        Assert.Contains(texts, t => tokenizer.EncodeWindows(t, 12, 3).Count > 2);
        for (var i = 0; i < texts.Length; i++)
            AssertClose(reference.Embed(tokenizer.EncodeWindows(texts[i], 12, 3)), actual[i], 1e-5, $"row {i}");
    }

    [Fact]
    public void NormalizeFalse_KeepsThePooledNorm()
    {
        var ml = new MLContext(1);
        var texts = new[] { "good movie", "the plot was really boring and long" };
        var options = Encoder.Options();
        options.Normalize = false;
        var data = Texts(ml, texts);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        var actual = ReadVectors(transformer.Transform(data), "Embedding");
        using var reference = new ReferenceEmbedder(Encoder.ModelBytes);
        var tokenizer = Encoder.Tokenizer();
        for (var i = 0; i < texts.Length; i++)
            AssertClose(reference.Embed([tokenizer.Encode(texts[i], 64)], normalize: false), actual[i], 1e-5, $"row {i}");
        Assert.True(Math.Abs(Math.Sqrt(actual[0].Sum(v => v * v)) - 1) > 1e-3);
    }

    [Fact]
    public void PooledSentenceEmbeddingOutput_IsUsedWhenPresent()
    {
        var encoder = new TestEncoderFolder(sentenceEmbedding: true);
        var ml = new MLContext(1);
        var texts = TestEncoderFolder.MixedTexts(6, seed: 2);
        var options = encoder.Options();
        options.Pooling = EmbeddingPooling.Cls; // ignored: the model pools itself (masked mean)
        options.BatchSize = 6;
        var data = Texts(ml, texts);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        Assert.True(transformer.ModelOutputIsPooled);
        var actual = ReadVectors(transformer.Transform(data), "Embedding");
        using var reference = new ReferenceEmbedder(encoder.ModelBytes);
        var tokenizer = encoder.Tokenizer();
        for (var i = 0; i < texts.Length; i++)
            AssertClose(reference.Embed([tokenizer.Encode(texts[i], 64)], EmbeddingPooling.Mean), actual[i], 1e-5, $"row {i}");
    }
}
