using Microsoft.ML;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Persistence;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>Int8 precision, the ONNX Runtime optimisation level and thread spinning of the embedding transform.</summary>
public sealed class TempScaleEmbeddingPrecisionTests
{
    private static readonly string DemoEncoder = Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");

    private static readonly string[] Reviews =
    [
        "the film is a charming , funny and moving story of two friends .",
        "a boring , overlong mess with nothing to say .",
        "the actors do what they can with a script that never takes off .",
        "one of the best movies of the year , beautifully shot and acted .",
        "it is not a good film , but it is never dull either .",
        "the plot twists are predictable and the ending drags on for far too long , yet the music and the performances keep it watchable .",
        "great",
        "",
        "i expected more from this director ; the first hour is fine , the second is a chore .",
        "a warm , intelligent comedy that knows exactly when to stop .",
    ];

    private static List<float[]> Embed(TempScaleEmbeddingOptions options)
    {
        var ml = new MLContext(1);
        var data = Texts(ml, Reviews);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        return ReadVectors(transformer.Transform(data), "Embedding");
    }

    private static TempScaleEmbeddingOptions Demo(EncoderPrecision precision, float temperature = 1f) =>
        new() { ModelPath = DemoEncoder, Precision = precision, Temperature = temperature, IntraOpThreads = 1 };

    private static double Cosine(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    [Theory]
    [InlineData(1f)]
    [InlineData(0.8f)]
    public void Int8_OnTheDemoEncoder_StaysCloseToFloat32(float temperature)
    {
        var float32 = Embed(Demo(EncoderPrecision.Float32, temperature));
        var int8 = Embed(Demo(EncoderPrecision.Int8, temperature));
        var cosines = float32.Zip(int8, Cosine).ToList();
        Assert.True(cosines.Min() >= 0.99, $"cosines to float32: {string.Join(", ", cosines.Select(c => c.ToString("F4")))}");
        Assert.True(cosines.Average() < 0.999999, "int8 gave the float32 embeddings exactly: nothing was quantised");
    }

    [Fact]
    public void Int8WithTemperature_AppliesTheTemperature()
    {
        var int8AtOne = Embed(Demo(EncoderPrecision.Int8));
        var int8AtTau = Embed(Demo(EncoderPrecision.Int8, 0.5f));
        var float32AtTau = Embed(Demo(EncoderPrecision.Float32, 0.5f));
        // Long rows move with τ far more than int8 moves them.
        var moveByTau = int8AtOne.Zip(int8AtTau, Cosine).Min();
        var moveByInt8 = float32AtTau.Zip(int8AtTau, Cosine).Min();
        Assert.True(moveByTau < moveByInt8, $"min cosine τ=1 vs τ=0.5 (int8) {moveByTau:F4}; float32 vs int8 at τ=0.5 {moveByInt8:F4}");
    }

    [Fact]
    public void Int8_IsSavedWithThePackageAndGivesTheSameEmbeddingsAfterLoading()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, Reviews);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", Demo(EncoderPrecision.Int8, 0.8f)).Fit(data);
        Assert.Equal(EncoderPrecision.Int8, transformer.Precision);
        var path = Path.Combine(TestPaths.NewTempDir(), "int8.zip");
        ml.Model.SavePackaged(transformer, data.Schema, path);
        var loaded = new MLContext(2).Model.LoadPackaged(path, out _);
        try
        {
            var step = Assert.IsType<TempScaleEmbeddingTransformer>(Assert.Single(PackagedModelOperations.Flatten(loaded)));
            Assert.Equal(EncoderPrecision.Int8, step.Precision);
            var before = ReadVectors(transformer.Transform(data), "Embedding");
            var after = ReadVectors(loaded.Transform(data), "Embedding");
            for (var i = 0; i < before.Count; i++) AssertClose(before[i], after[i], 1e-6, $"row {i}");
            // The package holds the int8 graph: far smaller than the float32 one would be.
            Assert.True(new FileInfo(path).Length < new FileInfo(Path.Combine(DemoEncoder, "model.onnx")).Length);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void OptimisationLevelAndSpinning_AreSavedWithThePackage()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, Reviews);
        var options = new TestEncoderFolder(seed: 7).Options(0.9f);
        options.GraphOptimization = EncoderGraphOptimization.Basic;
        options.IntraOpSpinning = true;
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        var path = Path.Combine(TestPaths.NewTempDir(), "session-settings.zip");
        ml.Model.SavePackaged(transformer, data.Schema, path);
        var loaded = new MLContext(2).Model.LoadPackaged(path, out _);
        try
        {
            var step = Assert.IsType<TempScaleEmbeddingTransformer>(Assert.Single(PackagedModelOperations.Flatten(loaded)));
            var settings = step.Embedder.Settings;
            Assert.Equal((EncoderPrecision.Float32, EncoderGraphOptimization.Basic, true),
                (settings.Precision, settings.GraphOptimization, settings.IntraOpSpinning));
            var before = ReadVectors(transformer.Transform(data), "Embedding");
            var after = ReadVectors(loaded.Transform(data), "Embedding");
            for (var i = 0; i < before.Count; i++) AssertClose(before[i], after[i], 1e-6, $"row {i}");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [Theory]
    [InlineData(EncoderGraphOptimization.None)]
    [InlineData(EncoderGraphOptimization.Basic)]
    [InlineData(EncoderGraphOptimization.Extended)]
    public void EveryOptimisationLevel_GivesTheEmbeddingsOfLevelAll(EncoderGraphOptimization level)
    {
        var encoder = new TestEncoderFolder(seed: 5);
        var all = Embed(encoder.Options(0.7f));
        var options = encoder.Options(0.7f);
        options.GraphOptimization = level;
        var other = Embed(options);
        for (var i = 0; i < all.Count; i++) AssertClose(all[i], other[i], 1e-5, $"row {i} at {level}");
    }

    [Fact]
    public void SpinningThreads_GiveTheSameEmbeddings()
    {
        var encoder = new TestEncoderFolder(seed: 6);
        var sleeping = encoder.Options();
        sleeping.IntraOpThreads = 2;
        var spinning = encoder.Options();
        spinning.IntraOpThreads = 2;
        spinning.IntraOpSpinning = true;
        var a = Embed(sleeping);
        var b = Embed(spinning);
        for (var i = 0; i < a.Count; i++) AssertClose(a[i], b[i], 1e-6, $"row {i}");
    }

    [Fact]
    public void Defaults_AreFloat32AndFullOptimisation_AndUnknownValuesFailNamingTheSetting()
    {
        var o = new TempScaleEmbeddingOptions { ModelPath = "m.onnx" };
        Assert.Equal((EncoderPrecision.Float32, EncoderGraphOptimization.All, false), (o.Precision, o.GraphOptimization, o.IntraOpSpinning));
        o.Precision = (EncoderPrecision)7;
        Assert.Equal(nameof(TempScaleEmbeddingOptions.Precision), Assert.Throws<ArgumentOutOfRangeException>(o.Validate).ParamName);
        o.Precision = EncoderPrecision.Int8;
        o.GraphOptimization = (EncoderGraphOptimization)9;
        Assert.Equal(nameof(TempScaleEmbeddingOptions.GraphOptimization), Assert.Throws<ArgumentOutOfRangeException>(o.Validate).ParamName);
    }
}
