using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using MlNetIso.Extensions.ML;
using MlNetIso.Transforms.Embedding;
using static MlNetIso.Extensions.Tests.ML.PackagedPredictionEnginePoolTests;

namespace MlNetIso.Extensions.Tests.ML;

/// <summary>services.AddPackagedPredictionEnginePool: a singleton pool configured by named options.</summary>
public sealed class PoolRegistrationTests(TempModelCache cache) : IClassFixture<TempModelCache>
{
    [Fact]
    public void Registration_ServesOneConfiguredPool_DisposedWithTheProvider()
    {
        var folder = TestPaths.NewTempDir();
        var path = Path.Combine(folder, "model.zip");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextInput { Text = "x" } });
        using (var model = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text",
                   new TempScaleEmbeddingOptions { ModelPath = cache.Folder("mlnetiso-mini") }).Fit(data))
            ml.Model.SavePackaged(model, data.Schema, path);

        var services = new ServiceCollection();
        services.AddSingleton(ml);
        services.AddPackagedPredictionEnginePool<TextInput, EmbeddingOnly>(path, o => o.WatchForChanges = false);
        PackagedPredictionEnginePool<TextInput, EmbeddingOnly> pool;
        using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }))
        {
            pool = provider.GetRequiredService<PackagedPredictionEnginePool<TextInput, EmbeddingOnly>>();
            Assert.Same(pool, provider.GetRequiredService<PackagedPredictionEnginePool<TextInput, EmbeddingOnly>>());
            Assert.Equal(Path.GetFullPath(path), pool.ModelPath);
            Assert.Equal(128, pool.Predict(new TextInput { Text = "a film" }).Embedding.Length);
        }
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
        Directory.Delete(folder, recursive: true);
    }

    public sealed class EmbeddingOnly
    {
        public float[] Embedding { get; set; } = [];
    }
}
