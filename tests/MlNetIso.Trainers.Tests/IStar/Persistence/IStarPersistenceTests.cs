using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Model;

namespace MlNetIso.Trainers.Tests.IStar.Persistence;

public class IStarPersistenceTests
{
    [Theory]
    [InlineData((int)IStarMode.HeadOnly, "head-only")]
    [InlineData((int)IStarMode.FineTune, "fine-tune")]
    public void ModelSpecMode_SerialisesAsTheFormatsModeString(int modeValue, string stored)
    {
        var mode = (IStarMode)modeValue;
        var json = JsonSerializer.Serialize(new IStarModelSpec { Mode = mode }, IStarModelSpec.Json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(stored, doc.RootElement.GetProperty("Mode").GetString());

        var read = JsonSerializer.Deserialize<IStarModelSpec>($$"""{ "Mode": "{{stored}}" }""", IStarModelSpec.Json)!;
        Assert.Equal(mode, read.Mode);
    }

    [Fact]
    public void ChainWithBuiltInStepsAroundIStar_RoundTripsThroughSavePackaged()
    {
        var ml = new MLContext(1);
        var rows = IStarTestData.Blobs(20, 21);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.IStar(new IStarOptions
            {
                FeatureColumnName = "Features", HiddenSize = 8, Epochs = 2, BatchSize = 16, LearningRate = 1e-2, Seed = 3,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));
        var model = pipeline.Fit(data);
        var path = Path.Combine(TestPaths.NewTempDir(), "istar.zip");
        ml.Model.SavePackaged(model, data.Schema, path);

        var fresh = new MLContext(2);
        var loaded = fresh.Model.LoadPackaged(path, out var schema);
        Assert.Equal(data.Schema.Count, schema.Count);
        var chain = Assert.IsType<TransformerChain<ITransformer>>(loaded);
        Assert.Equal(4, chain.Count());
        var loadedIStar = Assert.Single(chain.OfType<IStarTransformer>());
        Assert.Equal(["class0", "class1", "class2"], loadedIStar.ClassNames);

        var expected = model.Transform(data);
        var actual = loaded.Transform(fresh.Data.LoadFromEnumerable(rows));
        Assert.Equal(
            expected.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()),
            actual.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()));
        Assert.Equal(
            expected.GetColumn<ReadOnlyMemory<char>>("PredictedName").Select(v => v.ToString()),
            actual.GetColumn<ReadOnlyMemory<char>>("PredictedName").Select(v => v.ToString()));
        Assert.True(fresh.MulticlassClassification.Evaluate(actual).MicroAccuracy > 0.8);

        foreach (var step in chain.OfType<IDisposable>()) step.Dispose();
        foreach (var step in ((IEnumerable<ITransformer>)model).OfType<IDisposable>()) step.Dispose();
    }

    [Fact]
    public void Load_FailsClearlyOnAFileThatIsNotAPackage()
    {
        var dir = TestPaths.NewTempDir();
        var notZip = Path.Combine(dir, "plain.txt");
        File.WriteAllText(notZip, "hello");
        var ml = new MLContext(1);
        var error = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPackaged(notZip, out _));
        Assert.Contains("plain.txt", error.Message);
        Assert.Throws<FileNotFoundException>(() => ml.Model.LoadPackaged(Path.Combine(dir, "missing.zip"), out _));

        var builtInOnly = Path.Combine(dir, "mlnet.zip");
        var data = ml.Data.LoadFromEnumerable(IStarTestData.Blobs(2, 1));
        ml.Model.Save(ml.Transforms.NormalizeMinMax("Features").Fit(data), data.Schema, builtInOnly);
        var notPackage = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPackaged(builtInOnly, out _));
        Assert.Contains("plain ML.NET model", notPackage.Message);
    }
}
