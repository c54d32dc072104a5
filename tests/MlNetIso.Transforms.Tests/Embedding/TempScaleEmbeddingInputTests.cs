using System.Diagnostics;
using Microsoft.ML;
using MlNetIso.Transforms.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>Unusual texts: missing, empty, control characters, non-BMP, and very long.</summary>
public sealed class TempScaleEmbeddingInputTests
{
    private static readonly TestEncoderFolder Encoder = new();

    private static List<float[]> Embed(IEnumerable<string?> texts, Action<TempScaleEmbeddingOptions>? configure = null)
    {
        var ml = new MLContext(1);
        var data = Texts(ml, texts);
        var options = Encoder.Options();
        configure?.Invoke(options);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        return ReadVectors(transformer.Transform(data), "Embedding");
    }

    [Fact]
    public void NullAndEmptyTexts_AreEmbeddedAsClsSep()
    {
        var result = Embed([null, "", "   ", "good"]);
        using var reference = new ReferenceEmbedder(Encoder.ModelBytes);
        var tokenizer = Encoder.Tokenizer();
        var clsSep = reference.Embed([[tokenizer.ClsId, tokenizer.SepId]]);
        for (var i = 0; i < 3; i++) AssertClose(clsSep, result[i], 1e-5, $"row {i}");
        Assert.NotEqual(result[0], result[3]);
    }

    [Fact]
    public void ControlCharacters_AreRemovedLikeHuggingFace()
    {
        var result = Embed(["\u0000\u0007good\u001f movie\u200b", "good movie"]);
        AssertClose(result[1], result[0], 1e-6, "control characters");
    }

    [Fact]
    public void NonBmpAndCjkText_GivesFiniteReferenceEmbeddings()
    {
        string[] texts = ["😀 good 日本", "𝔘𝔫𝔨𝔫𝔬𝔴𝔫 \U0001F600\U0001F600 movie", "\uD800 lone surrogate"];
        var result = Embed(texts);
        using var reference = new ReferenceEmbedder(Encoder.ModelBytes);
        var tokenizer = Encoder.Tokenizer();
        Assert.Contains(5 + Array.IndexOf(TestEncoderFolder.Words, "😀"), tokenizer.Encode(texts[0], 64));
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.All(result[i], v => Assert.True(float.IsFinite(v)));
            AssertClose(reference.Embed([tokenizer.Encode(texts[i], 64)]), result[i], 1e-5, $"row {i}");
        }
    }

    [Fact]
    public void OneMegabyteText_IsTruncatedQuicklyOrChunkedCompletely()
    {
        var big = string.Concat(Enumerable.Repeat("the movie was really good and fun. ", 1_048_576 / 35 + 1));
        Assert.True(big.Length >= 1_048_576);

        var watch = Stopwatch.StartNew();
        var truncated = Embed([big, "short"]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"Truncate took {watch.Elapsed}.");
        var prefix = Embed([string.Concat(Enumerable.Repeat("the movie was really good and fun. ", 10))]);
        AssertClose(prefix[0], truncated[0], 1e-5, "a truncated text equals its first 64 tokens");

        watch.Restart();
        var chunked = Embed([big], o =>
        {
            o.LongText = LongTextMode.Chunk;
            o.ChunkOverlap = 0;
            o.BatchSize = 64;
        });
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"Chunk took {watch.Elapsed}.");
        Assert.All(chunked[0], v => Assert.True(float.IsFinite(v)));
        Assert.True(Math.Abs(chunked[0].Sum(v => v * v) - 1) < 1e-4);
        Assert.NotEqual(truncated[0], chunked[0]);
    }

    [Fact]
    public void LowerCasing_FollowsTokenizerConfigUnlessSet()
    {
        var folder = new TestEncoderFolder(seed: 8);
        File.WriteAllText(Path.Combine(folder.Folder, "tokenizer_config.json"), """{ "do_lower_case": false }""");
        var ml = new MLContext(1);
        var data = Texts(ml, ["GOOD Movie", "good movie"]);

        List<float[]> Run(bool? lowerCase)
        {
            var options = folder.Options();
            options.LowerCase = lowerCase;
            using var t = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(data);
            return ReadVectors(t.Transform(data), "E");
        }

        var cased = Run(null);
        Assert.NotEqual(cased[0], cased[1]);
        var lowered = Run(true);
        AssertClose(lowered[1], lowered[0], 1e-6, "explicit LowerCase = true");
    }
}
