using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetIso.Transforms.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// <see cref="EmbeddingExecutionProvider.Auto"/> on the CPU package (these tests reference Microsoft.ML.OnnxRuntime):
/// CUDA cannot be used, so it runs on the CPU provider with the same output as Cpu, and the fallback is reported at most
/// once per process. The GPU package's side (CUDA provider present but failing to load) is proven by .ci/gpu-flavour.
/// </summary>
public sealed class ExecutionProviderTests
{
    private static readonly TestEncoderFolder Encoder = new();
    private static readonly string[] Sentences = ["good film", "a bad and boring film", "good"];

    [Fact]
    public void Auto_WithoutCuda_FallsBackToCpu_WithTheSameOutput_ReportingOnce()
    {
        bool reportedBefore = ExecutionProviderSetup.FallbackReported;
        var ml = new MLContext(1);
        var warnings = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning)
                lock (warnings) warnings.Add(e.RawMessage);
        };
        var data = Texts(ml, Sentences);
        var cpuOptions = Encoder.Options(0.8f);
        var autoOptions = Encoder.Options(0.8f);
        autoOptions.ExecutionProvider = EmbeddingExecutionProvider.Auto;

        using var cpu = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", cpuOptions).Fit(data);
        using var auto = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", autoOptions).Fit(data);
        using var autoAgain = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", autoOptions).Fit(data);

        Assert.Equal(EmbeddingExecutionProvider.Cpu, cpu.ActiveExecutionProvider);
        Assert.Equal(EmbeddingExecutionProvider.Cpu, auto.ActiveExecutionProvider);
        Assert.Equal(EmbeddingExecutionProvider.Cpu, autoAgain.ActiveExecutionProvider);
        var expected = ReadVectors(cpu.Transform(data), "E");
        var actual = ReadVectors(auto.Transform(data), "E");
        for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);

        var fallbacks = warnings.Where(w => w.Contains("ExecutionProvider = Auto", StringComparison.Ordinal)).ToList();
        Assert.True(ExecutionProviderSetup.FallbackReported);
        // Once per process: this test's two fits add one report unless an earlier test in the process made it.
        Assert.Equal(reportedBefore ? 0 : 1, fallbacks.Count);
        if (fallbacks.Count == 1)
        {
            Assert.Contains("runs on the CPU provider", fallbacks[0]);
            Assert.Contains("CPUExecutionProvider", fallbacks[0]); // the reason names what this build offers
        }
    }

    [Fact]
    public void Auto_SavedAndLoaded_StillFallsBack()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, Sentences);
        var options = Encoder.Options();
        options.ExecutionProvider = EmbeddingExecutionProvider.Auto;
        using var fitted = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(data);
        var path = Path.Combine(TestPaths.NewTempDir(), "auto.zip");
        ml.Model.SavePackaged(fitted, data.Schema, path);
        var loaded = ml.Model.LoadPackaged(path, out _);
        var embedding = ((IEnumerable<ITransformer>)loaded).OfType<TempScaleEmbeddingTransformer>().SingleOrDefault()
                        ?? Assert.IsType<TempScaleEmbeddingTransformer>(loaded);
        Assert.Equal(EmbeddingExecutionProvider.Cpu, embedding.ActiveExecutionProvider);
        Assert.Equal(ReadVectors(fitted.Transform(data), "E"), ReadVectors(loaded.Transform(data), "E"));
        (loaded as IDisposable)?.Dispose();
    }

    /// <summary>
    /// Found by the package fuzz test (issue 13): a package whose settings.json said IntraOpThreads = 513 took 14 s to
    /// load and 12 s to embed three texts on 2 cores. More threads than processors are now capped at the processor count.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(513)]
    [InlineData(1024)]
    public void IntraOpThreads_AreCappedAtTheProcessorCount(int requested)
    {
        var result = ExecutionProviderSetup.Create(new EmbeddingSettings { IntraOpThreads = requested }, "m");
        using var options = result.Options;
        Assert.Equal(Math.Min(requested, Environment.ProcessorCount), options.IntraOpNumThreads);
    }
}
