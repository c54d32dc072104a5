using Microsoft.Extensions.AI;
using MlNetIso.Extensions.AI;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Extensions.Tests.AI;

/// <summary>The generator's vectors, metadata, Microsoft.Extensions.AI extension methods, prefixes and option checks.</summary>
public sealed class TempScaleEmbeddingGeneratorTests(TempModelCache cache) : IClassFixture<TempModelCache>
{
    private string Mini => cache.Folder("mlnetiso-mini");

    private TempScaleEmbeddingGenerator Create(Action<TempScaleEmbeddingGeneratorOptions>? configure = null)
    {
        var options = new TempScaleEmbeddingGeneratorOptions { Model = Mini, MaxBatchDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return new TempScaleEmbeddingGenerator(options);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Vectors_MatchTheTempScaleTransform(bool microBatching)
    {
        using var generator = Create(o =>
        {
            o.Temperature = 0.7f;
            o.MicroBatching = microBatching;
        });
        var expected = ReferenceEmbeddings.Of(new TempScaleEmbeddingOptions { ModelPath = Mini, Temperature = 0.7f }, TestTexts.Reviews);

        var embeddings = await generator.GenerateAsync(TestTexts.Reviews);

        Assert.Equal(TestTexts.Reviews.Length, embeddings.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(128, embeddings[i].Dimensions);
            TestTexts.AssertClose(expected[i], embeddings[i].Vector, 2e-5, $"text {i}");
        }
        Assert.True(embeddings.Usage?.InputTokenCount > TestTexts.Reviews.Length * 2, "every text has at least [CLS] and [SEP]");
        Assert.Equal(embeddings.Usage!.InputTokenCount, embeddings.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Metadata_NamesProviderModelAndDimensions()
    {
        using var byName = Create(o => o.Model = "mlnetiso-mini");
        var metadata = byName.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal(TempScaleEmbeddingGenerator.ProviderName, metadata.ProviderName);
        Assert.Equal("mlnetiso-mini", metadata.DefaultModelId);
        Assert.Equal(128, metadata.DefaultModelDimensions);
        Assert.Same(byName, byName.GetService<TempScaleEmbeddingGenerator>());
        Assert.Null(byName.GetService<EmbeddingGeneratorMetadata>("some key"));
        Assert.Null(byName.GetService(typeof(string)));

        var embedding = await byName.GenerateAsync("a film");
        Assert.Equal("mlnetiso-mini", embedding.ModelId);
        Assert.NotNull(embedding.CreatedAt);

        using var byFolder = Create(o => o.ModelId = null);
        Assert.Equal(Path.GetFileName(Mini), byFolder.Metadata.DefaultModelId);
        using var named = Create(o => o.ModelId = "reviews-encoder");
        Assert.Equal("reviews-encoder", named.ModelId);
    }

    [Fact]
    public async Task ExtensionMethods_OfMicrosoftExtensionsAI_Work()
    {
        using var generator = Create();
        IEmbeddingGenerator<string, Embedding<float>> asInterface = generator;
        var all = await asInterface.GenerateAsync(TestTexts.Reviews[..3]);

        var vector = await asInterface.GenerateVectorAsync(TestTexts.Reviews[1]);
        TestTexts.AssertClose(all[1].Vector, vector, 2e-5, "GenerateVectorAsync");

        var single = await asInterface.GenerateAsync(TestTexts.Reviews[2]);
        TestTexts.AssertClose(all[2].Vector, single.Vector, 2e-5, "GenerateAsync(value)");

        var zipped = await asInterface.GenerateAndZipAsync(TestTexts.Reviews[..3]);
        Assert.Equal(TestTexts.Reviews[0], zipped[0].Value);
        TestTexts.AssertClose(all[0].Vector, zipped[0].Embedding.Vector, 2e-5, "GenerateAndZipAsync");

        var pipeline = asInterface.AsBuilder().ConfigureOptions(o => o.AdditionalProperties ??= []).Build();
        TestTexts.AssertClose(all[0].Vector, (await pipeline.GenerateVectorAsync(TestTexts.Reviews[0])), 2e-5, "builder pipeline");
        Assert.Same(generator, pipeline.GetService<TempScaleEmbeddingGenerator>());

        Assert.Empty(await generator.GenerateAsync([]));
    }

    [Fact]
    public async Task QueryAndDocumentPrefixes_AreAppliedPerRequest()
    {
        using var generator = Create(o =>
        {
            o.QueryPrefix = "query: ";
            o.DocumentPrefix = "passage: ";
        });
        const string text = "a quiet film about grief";
        var query = await generator.GenerateVectorAsync(text, new EmbeddingGenerationOptions().WithTextKind(EmbeddingTextKind.Query));
        var document = await generator.GenerateVectorAsync(text);
        var raw = new EmbeddingGenerationOptions { AdditionalProperties = new() { [TempScaleEmbeddingGenerator.TextKindPropertyName] = "QUERY" } };
        var queryByString = await generator.GenerateVectorAsync(text, raw);

        using var plain = Create();
        TestTexts.AssertClose((await plain.GenerateVectorAsync("query: " + text)), query, 2e-5, "query = query prefix + text");
        TestTexts.AssertClose((await plain.GenerateVectorAsync("passage: " + text)), document, 2e-5, "document = document prefix + text");
        TestTexts.AssertClose(query, queryByString, 0, "\"QUERY\" as a string");

        using var queriesByDefault = Create(o =>
        {
            o.QueryPrefix = "query: ";
            o.DefaultTextKind = EmbeddingTextKind.Query;
        });
        TestTexts.AssertClose(query, (await queriesByDefault.GenerateVectorAsync(text)), 0, "DefaultTextKind = Query");

        var unknown = new EmbeddingGenerationOptions { AdditionalProperties = new() { [TempScaleEmbeddingGenerator.TextKindPropertyName] = "question" } };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([text], unknown));
        Assert.Contains("'question'", error.Message);
        Assert.Contains("input_type", error.Message);
    }

    [Fact]
    public async Task SnowflakeArcticByName_UsesItsQueryPromptAndClsPooling()
    {
        using var generator = new TempScaleEmbeddingGenerator(new TempScaleEmbeddingGeneratorOptions
        {
            Model = "snowflake-arctic-embed-xs",
            CacheFolder = cache.Root,
        });
        var prompt = BuiltInEncoders.SnowflakeArcticEmbedXs.QueryPrefix!;
        Assert.Equal(prompt, generator.PrefixOf(EmbeddingTextKind.Query));
        Assert.Equal("", generator.PrefixOf(EmbeddingTextKind.Document));
        Assert.Equal(384, generator.Dimensions);
        Assert.Equal("snowflake-arctic-embed-xs", generator.ModelId);

        const string question = "which films are about grief";
        var query = await generator.GenerateVectorAsync(question, new EmbeddingGenerationOptions().WithTextKind(EmbeddingTextKind.Query));
        var expected = ReferenceEmbeddings.Of(new TempScaleEmbeddingOptions
        {
            ModelPath = cache.Folder("snowflake-arctic-embed-xs"),
            Pooling = EmbeddingPooling.Cls,
            MaxTokens = 512,
        }, [prompt + question, question]);
        TestTexts.AssertClose(expected[0], query, 2e-5, "arctic query = CLS embedding of prompt + text");
        TestTexts.AssertClose(expected[1], (await generator.GenerateVectorAsync(question)), 2e-5, "arctic document = CLS embedding of the text");
    }

    [Fact]
    public async Task BadRequests_FailWithClearMessages()
    {
        using var generator = Create();
        var nullText = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["fine", null!, "fine"]));
        Assert.Contains("Text 1 of the 3", nullText.Message);

        var dimensions = await Assert.ThrowsAsync<NotSupportedException>(() =>
            generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 64 }));
        Assert.Contains("128-dimensional", dimensions.Message);

        var model = await Assert.ThrowsAsync<ArgumentException>(() =>
            generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-small" }));
        Assert.Contains("'text-embedding-3-small'", model.Message);
        Assert.Single(await generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = generator.ModelId, Dimensions = 128 }));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["x"], cancellationToken: cancelled.Token));
    }

    [Fact]
    public void BadOptions_FailAtConstructionNamingTheSetting()
    {
        Assert.Contains("Model", Assert.Throws<ArgumentException>(() => Create(o => o.Model = " ")).Message);
        Assert.Contains("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.MaxBatchSize = 0)).Message);
        Assert.Contains("QueueCapacity", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.QueueCapacity = 0)).Message);
        Assert.Contains("EncoderBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.EncoderBatchSize = 0)).Message);
        Assert.Contains("MaxBatchDelay", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.MaxBatchDelay = TimeSpan.FromSeconds(-1))).Message);
        Assert.Contains("Temperature", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.Temperature = 0)).Message);
        var missing = Path.Combine(cache.Root, "no-such-encoder");
        var error = Assert.ThrowsAny<IOException>(() => Create(o => o.Model = missing));
        Assert.Contains("no-such-encoder", error.Message);
    }

    [Fact]
    public async Task Dispose_RefusesLaterRequestsAndIsIdempotent()
    {
        var generator = Create();
        Assert.Single(await generator.GenerateAsync(["before"]));
        generator.Dispose();
        generator.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["after"]));
    }
}
