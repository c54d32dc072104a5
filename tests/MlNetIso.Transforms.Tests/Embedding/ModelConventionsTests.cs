using Microsoft.ML;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// The model folder's sentence-transformers files (pooling, Normalize module, max_seq_length, prompts) are the
/// transform's defaults, and explicit options override them; on a tiny random encoder, against the unpadded reference.
/// </summary>
public sealed class ModelConventionsTests
{
    private static readonly string[] Texts = ["good movie", "the plot was very long and boring", "", "hello world !"];

    private static TestEncoderFolder FolderWith(SentenceTransformersConfig? conventions = null, TokenizerConfig? tokenizer = null,
        int maxPositions = 64)
    {
        var encoder = new TestEncoderFolder(seed: 11, maxPositions: maxPositions);
        EncoderFolder.Write(encoder.Folder, new EncoderFolderContent
        {
            SentenceTransformers = conventions is null ? null : conventions with { WordEmbeddingDimension = 16 },
            Tokenizer = tokenizer,
        });
        return encoder;
    }

    private static (TempScaleEmbeddingTransformer Transformer, List<float[]> Vectors) Embed(TempScaleEmbeddingOptions options, string?[] texts)
    {
        var ml = new MLContext(1);
        var data = EmbeddingTestData.Texts(ml, texts);
        var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        return (transformer, ReadVectors(transformer.Transform(data), "Embedding"));
    }

    [Fact]
    public void FolderConventions_AreTheDefaults()
    {
        var encoder = FolderWith(new SentenceTransformersConfig { Pooling = EmbeddingPooling.Cls, Normalize = false, MaxSeqLength = 6 });

        var (transformer, vectors) = Embed(encoder.Options(), Texts);

        using (transformer)
            Assert.Equal((EmbeddingPooling.Cls, false, 6, ""), (transformer.Pooling, transformer.Normalize, transformer.MaxTokens, transformer.Prefix));
        using var reference = new ReferenceEmbedder(encoder.ModelBytes);
        var tokenizer = encoder.Tokenizer();
        for (var i = 0; i < Texts.Length; i++)
            AssertClose(reference.Embed([tokenizer.Encode(Texts[i], 6)], EmbeddingPooling.Cls, normalize: false), vectors[i], 1e-5, Texts[i]);
        Assert.True(Math.Abs(Norm(vectors[0]) - 1) > 1e-3, "without a Normalize module the embedding is not unit length");
    }

    [Fact]
    public void ExplicitOptions_OverrideTheFolder()
    {
        var encoder = FolderWith(new SentenceTransformersConfig { Pooling = EmbeddingPooling.Cls, Normalize = false, MaxSeqLength = 6 });
        var options = encoder.Options();
        options.Pooling = EmbeddingPooling.Max;
        options.Normalize = true;
        options.MaxTokens = 10;

        var (transformer, vectors) = Embed(options, Texts);

        using (transformer)
            Assert.Equal((EmbeddingPooling.Max, true, 10), (transformer.Pooling, transformer.Normalize, transformer.MaxTokens));
        using var reference = new ReferenceEmbedder(encoder.ModelBytes);
        AssertClose(reference.Embed([encoder.Tokenizer().Encode(Texts[1], 10)], EmbeddingPooling.Max), vectors[1], 1e-5, Texts[1]);
    }

    [Theory]
    [InlineData(null, null, 64)]  // no sentence-transformers files, no model_max_length: the model's positions
    [InlineData(null, 20, 20)]    // the tokenizer's model_max_length
    [InlineData(12, 20, 12)]      // max_seq_length wins over model_max_length
    [InlineData(100, null, 64)]   // never more than the positions
    public void MaxTokens_FollowsSentenceTransformersRule(int? maxSeqLength, int? modelMaxLength, int expected)
    {
        var encoder = FolderWith(
            maxSeqLength is null ? null : new SentenceTransformersConfig { Pooling = EmbeddingPooling.Mean, Normalize = true, MaxSeqLength = maxSeqLength },
            modelMaxLength is null ? null : new TokenizerConfig { ModelMaxLength = modelMaxLength });

        var (transformer, _) = Embed(encoder.Options(), ["good"]);

        using (transformer)
        {
            Assert.Equal(expected, transformer.MaxTokens);
            Assert.Equal((EmbeddingPooling.Mean, true), (transformer.Pooling, transformer.Normalize));
        }
    }

    [Fact]
    public void PoolingModeTheTransformLacks_FailsAtFit_UnlessAPoolingIsSet()
    {
        var encoder = new TestEncoderFolder(seed: 12);
        Directory.CreateDirectory(Path.Combine(encoder.Folder, "1_Pooling"));
        File.WriteAllText(Path.Combine(encoder.Folder, "modules.json"), """[ { "path": "1_Pooling", "type": "sentence_transformers.models.Pooling" } ]""");
        File.WriteAllText(Path.Combine(encoder.Folder, "1_Pooling", "config.json"), """{ "pooling_mode_weightedmean_tokens": true }""");
        var ml = new MLContext(1);
        var data = EmbeddingTestData.Texts(ml, ["good"]);

        var e = Assert.Throws<NotSupportedException>(() => ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", encoder.Options()).Fit(data));

        Assert.Contains("weightedmean_tokens", e.Message);
        Assert.Contains("TempScaleEmbeddingOptions.Pooling", e.Message);
        Assert.Contains(encoder.Folder, e.Message);
        var options = encoder.Options();
        options.Pooling = EmbeddingPooling.Mean;
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(data);
        Assert.Equal(EmbeddingPooling.Mean, transformer.Pooling);
    }

    [Fact]
    public void QueryPrompt_IsPutInFrontOfQueriesOnly_AndPrefixOverridesIt()
    {
        var encoder = FolderWith(new SentenceTransformersConfig
        {
            Pooling = EmbeddingPooling.Mean, Normalize = true,
            Prompts = new Dictionary<string, string> { ["query"] = "hello world : " },
        });
        var queryOptions = encoder.Options();
        queryOptions.TextKind = EmbeddingTextKind.Query;

        var (documents, asDocuments) = Embed(encoder.Options(), Texts);
        var (queries, asQueries) = Embed(queryOptions, Texts);
        var (_, prefixedByHand) = Embed(encoder.Options(), Texts.Select(t => "hello world : " + t).ToArray());
        queryOptions.Prefix = "";
        var (_, promptDisabled) = Embed(queryOptions, Texts);
        queryOptions.Prefix = "the ";
        var (custom, customPrefix) = Embed(queryOptions, Texts);

        using (documents) Assert.Equal("", documents.Prefix);
        using (queries) Assert.Equal("hello world : ", queries.Prefix);
        using (custom) Assert.Equal("the ", custom.Prefix);
        var (_, theByHand) = Embed(encoder.Options(), Texts.Select(t => "the " + t).ToArray());
        for (var i = 0; i < Texts.Length; i++)
        {
            AssertClose(prefixedByHand[i], asQueries[i], 1e-6, $"query '{Texts[i]}'");
            AssertClose(asDocuments[i], promptDisabled[i], 1e-6, $"Prefix = \"\" '{Texts[i]}'");
            AssertClose(theByHand[i], customPrefix[i], 1e-6, $"Prefix = \"the \" '{Texts[i]}'");
            Assert.True(asDocuments[i].Zip(asQueries[i]).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "the prompt changes the embedding");
        }
    }

    [Fact]
    public void PromptExcludedFromMeanPooling_IsRefusedNotIgnored()
    {
        var encoder = FolderWith(new SentenceTransformersConfig
        {
            Pooling = EmbeddingPooling.Mean, Normalize = true, IncludePrompt = false,
            Prompts = new Dictionary<string, string> { ["query"] = "hello : " },
        });
        var options = encoder.Options();
        options.TextKind = EmbeddingTextKind.Query;
        var ml = new MLContext(1);

        var e = Assert.Throws<NotSupportedException>(() =>
            ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(EmbeddingTestData.Texts(ml, ["good"])));

        Assert.Contains("include_prompt", e.Message);
        options.Pooling = EmbeddingPooling.Cls; // CLS pooling does not depend on which tokens are pooled
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(EmbeddingTestData.Texts(ml, ["good"]));
        Assert.Equal("hello : ", transformer.Prefix);
    }

    [Fact]
    public void ResolvedConventions_AreSavedWithThePackage()
    {
        var encoder = FolderWith(new SentenceTransformersConfig
        {
            Pooling = EmbeddingPooling.Cls, Normalize = false, MaxSeqLength = 8,
            Prompts = new Dictionary<string, string> { ["query"] = "hello : " },
        });
        var options = encoder.Options();
        options.TextKind = EmbeddingTextKind.Query;
        var ml = new MLContext(1);
        var data = EmbeddingTestData.Texts(ml, Texts);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        var path = Path.Combine(TestPaths.NewTempDir(), "conventions.zip");
        ml.Model.SavePackaged(transformer, data.Schema, path);
        Directory.Delete(encoder.Folder, recursive: true); // the package must not need the folder

        var loaded = new MLContext(2).Model.LoadPackaged(path, out _);

        var step = Assert.IsType<TempScaleEmbeddingTransformer>(Assert.Single(PackagedModelOperations.Flatten(loaded)));
        using (step)
        {
            Assert.Equal((EmbeddingPooling.Cls, false, 8, "hello : "), (step.Pooling, step.Normalize, step.MaxTokens, step.Prefix));
            Assert.Equal(ReadVectors(transformer.Transform(data), "Embedding"), ReadVectors(step.Transform(data), "Embedding"));
        }
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));
}
