using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Extensions.ML;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Extensions.Tests.ML;

/// <summary>The engine pool over SavePackaged models: predictions, concurrency, reload on change, failure handling.</summary>
public sealed class PackagedPredictionEnginePoolTests(TempModelCache cache) : IClassFixture<TempModelCache>, IDisposable
{
    private readonly string _folder = TestPaths.NewTempDir();

    public sealed class TextInput
    {
        public string Text { get; set; } = "";
    }

    /// <summary>The training rows: the model is saved with this schema (label included) and served with <see cref="TextInput"/>.</summary>
    public sealed class LabeledText
    {
        public string Text { get; set; } = "";

        public bool Label { get; set; }
    }

    public sealed class EmbeddingOutput
    {
        public float[] Embedding { get; set; } = [];

        public float[] EmbeddingCopy { get; set; } = [];
    }

    public sealed class WrongInput
    {
        public string Comment { get; set; } = "";
    }

    private string Encoder => cache.Folder("mlnetiso-mini");

    /// <summary>Saves text → TempScale embedding at <paramref name="temperature"/> → a built-in copy step, replacing <paramref name="path"/> by rename.</summary>
    private void SaveModel(string path, float temperature)
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new LabeledText { Text = "x", Label = true } });
        var options = new TempScaleEmbeddingOptions { ModelPath = Encoder, Temperature = temperature };
        var model = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options)
            .Append(ml.Transforms.CopyColumns("EmbeddingCopy", "Embedding"))
            .Fit(data);
        var temp = path + ".writing";
        ml.Model.SavePackaged(model, data.Schema, temp);
        foreach (var step in PackagedModelOperations.Flatten(model).OfType<IDisposable>()) step.Dispose();
        File.Move(temp, path, overwrite: true);
    }

    private float[] Expected(float temperature, string text) =>
        ReferenceEmbeddings.Of(new TempScaleEmbeddingOptions { ModelPath = Encoder, Temperature = temperature }, [text])[0];

    private PackagedPredictionEnginePool<TextInput, EmbeddingOutput> Pool(string path, Action<PackagedPredictionEnginePoolOptions>? configure = null)
    {
        var options = new PackagedPredictionEnginePoolOptions { ModelPath = path, ReloadDelay = TimeSpan.FromMilliseconds(100) };
        configure?.Invoke(options);
        return new PackagedPredictionEnginePool<TextInput, EmbeddingOutput>(options);
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            Thread.Sleep(50);
        }
    }

    [Fact]
    public async Task ConcurrentPredictions_MatchTheModel()
    {
        var path = Path.Combine(_folder, "model.zip");
        SaveModel(path, 1f);
        using var pool = Pool(path);
        Assert.Equal(1, pool.ModelVersion);
        Assert.NotNull(pool.InputSchema.GetColumnOrNull("Text"));

        var texts = TestTexts.Reviews;
        var expected = texts.Select(t => Expected(1f, t)).ToArray();
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => (i, pool.Predict(new TextInput { Text = texts[i % texts.Length] })))));
        foreach (var (i, output) in results)
        {
            TestTexts.AssertClose(expected[i % texts.Length], output.Embedding, 2e-5, $"prediction {i}");
            Assert.Equal(output.Embedding, output.EmbeddingCopy);
        }
    }

    [Fact]
    public async Task EnginesDroppedFromThePool_LeaveTheModelOpen()
    {
        // ML.NET's prediction engines dispose their model by default; the pool's must not, or dropping one surplus engine
        // would close the ONNX Runtime session under every other engine.
        var path = Path.Combine(_folder, "model.zip");
        SaveModel(path, 1f);
        using var pool = Pool(path, o => o.MaximumIdleEngines = 0);
        var expected = Expected(1f, "a film");
        for (var i = 0; i < 3; i++)
            TestTexts.AssertClose(expected, pool.Predict(new TextInput { Text = "a film" }).Embedding, 2e-5, $"prediction {i}");
        var outputs = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => pool.Predict(new TextInput { Text = "a film" }))));
        Assert.All(outputs, o => TestTexts.AssertClose(expected, o.Embedding, 2e-5, "concurrent prediction"));
    }

    [Fact]
    public void ChangedFile_IsReloaded_AndInFlightPredictionsFinishOnTheOldModel()
    {
        var path = Path.Combine(_folder, "model.zip");
        SaveModel(path, 1f);
        using var pool = Pool(path);
        const string text = "a slow, moving film";
        var before = Expected(1f, text);
        var after = Expected(0.5f, text);

        using (var lease = pool.Rent())
        {
            var old = pool.CurrentModel;
            SaveModel(path, 0.5f);
            WaitFor(() => pool.ModelVersion == 2, "the reload after the file changed");

            // The lease still runs version 1, and version 1 stays loaded while it is out.
            Assert.Equal(1, lease.ModelVersion);
            TestTexts.AssertClose(before, lease.Predict(new TextInput { Text = text }).Embedding, 2e-5, "in-flight engine on the old model");
            TestTexts.AssertClose(after, pool.Predict(new TextInput { Text = text }).Embedding, 2e-5, "a new rental on the new model");
            Assert.True(old.TryAcquire(), "the old version was disposed while a lease was out");
            old.Release();
            lease.Dispose();
            Assert.False(old.TryAcquire(), "the old version was not released after its last lease returned");
        }
        Assert.Null(pool.LastReloadError);
        Assert.Equal(0, pool.ReloadFailures);
    }

    [Fact]
    public void AnUnreadableFile_KeepsTheCurrentModel_UntilAGoodOneArrives()
    {
        var path = Path.Combine(_folder, "model.zip");
        SaveModel(path, 1f);
        using var pool = Pool(path);
        const string text = "two hours of noise";

        File.WriteAllText(path, "this is not a model package");
        WaitFor(() => pool.ReloadFailures > 0, "the failed reload");
        Assert.Equal(1, pool.ModelVersion);
        Assert.Contains(path, pool.LastReloadError!.Message);
        TestTexts.AssertClose(Expected(1f, text), pool.Predict(new TextInput { Text = text }).Embedding, 2e-5, "after a failed reload");

        var forced = Assert.Throws<InvalidDataException>(pool.Reload);
        Assert.Contains(path, forced.Message);
        Assert.Equal(1, pool.ModelVersion);

        SaveModel(path, 0.5f);
        WaitFor(() => pool.ModelVersion == 2, "the reload of the repaired file");
        Assert.Null(pool.LastReloadError);
        TestTexts.AssertClose(Expected(0.5f, text), pool.Predict(new TextInput { Text = text }).Embedding, 2e-5, "after the repair");
    }

    [Fact]
    public void SameBytes_DoNotReload_ButNewBytesDo()
    {
        var path = Path.Combine(_folder, "model.zip");
        SaveModel(path, 1f);
        using var pool = Pool(path);
        var copy = path + ".copy";
        File.Copy(path, copy);
        File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddMinutes(1));
        File.Move(copy, path, overwrite: true);
        Thread.Sleep(1000);
        Assert.Equal(1, pool.ModelVersion);

        SaveModel(path, 0.5f);
        WaitFor(() => pool.ModelVersion == 2, "the reload of new bytes");
        pool.Reload();
        Assert.Equal(3, pool.ModelVersion);
    }

    [Fact]
    public void Polling_ReloadsWithoutChangeNotifications()
    {
        var path = Path.Combine(_folder, "model.zip");
        SaveModel(path, 1f);
        using var pool = Pool(path, o =>
        {
            o.WatchForChanges = false;
            o.PollingInterval = TimeSpan.FromMilliseconds(200);
        });
        SaveModel(path, 0.5f);
        WaitFor(() => pool.ModelVersion == 2, "the polled reload");
    }

    [Fact]
    public void BadSetups_FailAtConstructionWithClearMessages()
    {
        var missing = Path.Combine(_folder, "missing.zip");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => Pool(missing)).Message);
        Assert.Contains("ModelPath", Assert.Throws<ArgumentException>(() => Pool(" ")).Message);

        var path = Path.Combine(_folder, "model.zip");
        SaveModel(path, 1f);
        var wrong = Assert.Throws<InvalidOperationException>(() =>
            new PackagedPredictionEnginePool<WrongInput, EmbeddingOutput>(new PackagedPredictionEnginePoolOptions { ModelPath = path }));
        Assert.Contains("WrongInput", wrong.Message);
        Assert.Contains("Text", wrong.Message);

        var pool = Pool(path);
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
