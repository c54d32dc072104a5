using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>
/// mlContext.Model.Save → Load in a fresh process (tests/MlNetIso.LoadCheck) gives identical output, a downstream
/// trainer still binds to the output column, the report can be re-read from the zip, and PredictionEngine works.
/// </summary>
public sealed class IsotropySaveLoadTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);

    /// <summary>One pipeline with every post-processing; None last, replacing the input column.</summary>
    private static readonly (string Column, int Size)[] Outputs =
        [("Centred", 5), ("Whitened", 3), ("Abtt", 5), (IsotropyTestData.Column, 5)];

    private static IEstimator<ITransformer> AllPostProcessings(MLContext ml) =>
        ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Center, OutputColumnName = "Centred" })
            .Append(ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Whiten, WhitenComponents = 3, OutputColumnName = "Whitened" }))
            .Append(ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = IsotropyPostProcessing.AllButTheTop, OutputColumnName = "Abtt" }))
            .Append(ml.Transforms.MeasureIsotropy(IsotropyTestData.Column));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveThenLoadInAFreshProcess_GivesIdenticalOutput_AndATrainerBinds(bool doubleInput)
    {
        var ml = new MLContext(0);
        var rows = IsotropyTestData.Correlated(120, 5);
        var data = doubleInput
            ? IsotropyTestData.ToDoubleDataView(ml, rows.Select(r => r.Select(v => (double)v).ToArray()))
            : IsotropyTestData.ToDataView(ml, rows);
        var model = AllPostProcessings(ml).Fit(data);
        var transformed = model.Transform(data);
        var expected = Outputs.Select(o => IsotropyTestData.ReadColumn(transformed, o.Column)).ToArray();

        string dir = TestPaths.NewTempDir();
        string modelPath = Path.Combine(dir, "model.zip");
        string inputPath = Path.Combine(dir, "input.idv");
        string outputPath = Path.Combine(dir, "output.idv");
        ml.Model.Save(model, data.Schema, modelPath);
        using (var stream = File.Create(inputPath))
            ml.Data.SaveAsBinary(data, stream);

        var (exitCode, stdout, stderr) = LoadCheckProcess.Run(ProcessTimeout,
            "--model", modelPath, "--input", inputPath, "--output", outputPath, "--bind-trainer", "Whitened");

        Assert.True(exitCode == 0, $"LoadCheck failed ({exitCode}): {stderr}");
        Assert.Contains("trainer-bound\tWhitened", stdout);
        var reloaded = new MLContext(1).Data.LoadFromBinary(outputPath);
        for (int i = 0; i < Outputs.Length; i++)
        {
            Assert.Contains($"column\t{Outputs[i].Column}\tVector<Single, {Outputs[i].Size}>", stdout);
            Assert.Equal(expected[i], IsotropyTestData.ReadColumn(reloaded, Outputs[i].Column));
        }
    }

    [Fact]
    public void Reports_AreReadBackFromTheSavedModel()
    {
        var ml = new MLContext(0);
        var data = IsotropyTestData.ToDataView(ml, IsotropyTestData.Correlated(80, 5));
        var model = AllPostProcessings(ml).Fit(data);
        string path = Path.Combine(TestPaths.NewTempDir(), "model.zip");
        ml.Model.Save(model, data.Schema, path);

        var reports = IsotropyReport.FromSavedModel(path);
        var fitted = ((IEnumerable<ITransformer>)model).Cast<IsotropyTransformer>().Select(t => t.Report.ToJson()).ToArray();
        Assert.Equal(fitted, reports.Select(r => r.ToJson()).ToArray());
        Assert.Equal(
            [IsotropyPostProcessing.Center, IsotropyPostProcessing.Whiten, IsotropyPostProcessing.AllButTheTop, IsotropyPostProcessing.None],
            reports.Select(r => r.PostProcessing).ToArray());
        Assert.Throws<FileNotFoundException>(() => IsotropyReport.FromSavedModel(Path.Combine(TestPaths.NewTempDir(), "none.zip")));
    }

    [Fact]
    public void PredictionEngine_MatchesTransform_BeforeAndAfterReload()
    {
        var ml = new MLContext(0);
        var rows = IsotropyTestData.Correlated(100, 4);
        var data = IsotropyTestData.ToDataView(ml, rows);
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions
        {
            PostProcessing = IsotropyPostProcessing.Whiten, OutputColumnName = "Whitened",
        }).Fit(data);
        var expected = IsotropyTestData.ReadColumn(model.Transform(data), "Whitened");

        var input = SchemaDefinition.Create(typeof(IsotropyTestData.FloatRow));
        input[IsotropyTestData.Column].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 4);
        var output = SchemaDefinition.Create(typeof(WhitenedRow));
        output["Whitened"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 4);
        using var engine = ml.Model.CreatePredictionEngine<IsotropyTestData.FloatRow, WhitenedRow>(model, inputSchemaDefinition: input, outputSchemaDefinition: output);
        for (int i = 0; i < 5; i++)
            Assert.Equal(expected[i], engine.Predict(new IsotropyTestData.FloatRow { Features = rows[i] }).Whitened);

        string path = Path.Combine(TestPaths.NewTempDir(), "model.zip");
        ml.Model.Save(model, data.Schema, path);
        var fresh = new MLContext(5);
        var loaded = fresh.Model.Load(path, out _);
        using var reloadedEngine = fresh.Model.CreatePredictionEngine<IsotropyTestData.FloatRow, WhitenedRow>(loaded, inputSchemaDefinition: input, outputSchemaDefinition: output);
        for (int i = 0; i < 5; i++)
            Assert.Equal(expected[i], reloadedEngine.Predict(new IsotropyTestData.FloatRow { Features = rows[i] }).Whitened);
    }

    [Fact]
    public void LoadCheck_RejectsBadArguments()
    {
        var (exitCode, _, stderr) = LoadCheckProcess.Run(ProcessTimeout, "--model", "/nonexistent/model.zip", "--input", "x", "--output", "y");
        Assert.Equal(1, exitCode);
        Assert.Contains("/nonexistent/model.zip", stderr);
    }

    public sealed class WhitenedRow
    {
        public float[] Whitened { get; set; } = [];
    }
}
