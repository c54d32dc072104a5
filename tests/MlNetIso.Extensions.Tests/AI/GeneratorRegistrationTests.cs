using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlNetIso.Extensions.AI;

namespace MlNetIso.Extensions.Tests.AI;

/// <summary>services.AddTempScaleEmbeddingGenerator: singleton, options pattern, Microsoft.Extensions.AI pipelines.</summary>
public sealed class GeneratorRegistrationTests(TempModelCache cache) : IClassFixture<TempModelCache>
{
    [Fact]
    public async Task Registration_ServesASingletonThroughALoggingPipeline()
    {
        var logs = new RecordingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddTempScaleEmbeddingGenerator(o =>
        {
            o.Model = cache.Folder("mlnetiso-mini");
            o.Temperature = 0.8f;
        }).UseLogging();
        // Options bound elsewhere (e.g. from configuration) apply too.
        services.Configure<TempScaleEmbeddingGeneratorOptions>(o => o.ModelId = "reviews");

        await using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }))
        {
            var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            Assert.IsType<LoggingEmbeddingGenerator<string, Embedding<float>>>(generator);
            Assert.Same(generator, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
            var inner = generator.GetService<TempScaleEmbeddingGenerator>();
            Assert.Same(provider.GetRequiredService<TempScaleEmbeddingGenerator>(), inner);
            Assert.Equal(0.8f, inner!.Temperature);
            Assert.Equal("reviews", generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);

            using var direct = new TempScaleEmbeddingGenerator(new TempScaleEmbeddingGeneratorOptions
            {
                Model = cache.Folder("mlnetiso-mini"),
                Temperature = 0.8f,
            });
            var vector = await generator.GenerateVectorAsync(TestTexts.Reviews[0]);
            TestTexts.AssertClose((await direct.GenerateVectorAsync(TestTexts.Reviews[0])), vector, 2e-5, "through DI");
        }

        Assert.Contains(logs.Entries, e => e.Category.Contains("LoggingEmbeddingGenerator") && e.Message.Contains("GenerateAsync"));
        Assert.Contains(logs.Entries, e => e.Category.Contains(nameof(TempScaleEmbeddingGenerator)) && e.Message.Contains("128 dimensions"));
    }

    [Fact]
    public void InvalidOptions_FailWhenResolvedNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddTempScaleEmbeddingGenerator(o =>
        {
            o.Model = cache.Folder("mlnetiso-mini");
            o.MaxBatchSize = 0;
        });
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Contains("MaxBatchSize", error.Message);

        var unnamed = new ServiceCollection();
        unnamed.AddTempScaleEmbeddingGenerator();
        using var unnamedProvider = unnamed.BuildServiceProvider();
        Assert.Contains("TempScaleEmbeddingGeneratorOptions.Model",
            Assert.Throws<OptionsValidationException>(() => unnamedProvider.GetRequiredService<TempScaleEmbeddingGenerator>()).Message);
    }

    [Fact]
    public async Task DisposingTheProvider_DisposesTheGenerator()
    {
        var services = new ServiceCollection();
        services.AddTempScaleEmbeddingGenerator(o => o.Model = cache.Folder("mlnetiso-mini"));
        TempScaleEmbeddingGenerator generator;
        await using (var provider = services.BuildServiceProvider())
        {
            generator = provider.GetRequiredService<TempScaleEmbeddingGenerator>();
            Assert.Single(await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["x"]));
        }
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["x"]));
    }
}
