using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>Every bad input gives a clear exception naming the column (and row), at schema time where possible.</summary>
public sealed class IsotropyInputErrorTests
{
    private sealed class MixedRow
    {
        public string Text { get; set; } = "";
        public float Score { get; set; }
        public float[] Features { get; set; } = [];
    }

    private static IDataView Mixed(MLContext ml) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new MixedRow { Text = $"t{i}", Score = i, Features = [i, 2 * i, 1] }));

    /// <summary>ML.NET's SchemaShape.Create(DataViewSchema) is internal; tests reach it by reflection.</summary>
    private static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.Invoke(null, [schema])!;

    [Fact]
    public void MissingColumn_FailsAtSchemaTimeAndFitTime()
    {
        var ml = new MLContext(0);
        var data = Mixed(ml);
        var estimator = ml.Transforms.MeasureIsotropy("Nope");
        Assert.Contains("'Nope'", Assert.Throws<ArgumentException>(() => estimator.GetOutputSchema(ShapeOf(data.Schema))).Message);
        Assert.Contains("'Nope'", Assert.Throws<ArgumentException>(() => estimator.Fit(data)).Message);
    }

    [Theory]
    [InlineData("Text")]
    [InlineData("Score")]
    public void WrongType_FailsAtSchemaTimeAndFitTime(string column)
    {
        var ml = new MLContext(0);
        var data = Mixed(ml);
        var estimator = ml.Transforms.MeasureIsotropy(column);
        var schemaError = Assert.Throws<ArgumentException>(() => estimator.GetOutputSchema(ShapeOf(data.Schema)));
        Assert.Contains($"'{column}'", schemaError.Message);
        var fitError = Assert.Throws<ArgumentException>(() => estimator.Fit(data));
        Assert.Contains($"'{column}'", fitError.Message);
        Assert.Contains("Vector<Single>", fitError.Message);
    }

    [Fact]
    public void EstimatorOutputSchema_AddsAKnownSizeSingleVector()
    {
        var ml = new MLContext(0);
        var shape = ml.Transforms.MeasureIsotropy("Features", new IsotropyOptions { OutputColumnName = "Iso" }).GetOutputSchema(ShapeOf(Mixed(ml).Schema));
        var column = shape.Single(c => c.Name == "Iso");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, column.Kind);
        Assert.Equal(NumberDataViewType.Single, column.ItemType);
        Assert.Contains(shape, c => c.Name == "Features");
    }

    [Fact]
    public void Transformer_ChecksTheSchemaItIsAppliedTo()
    {
        var ml = new MLContext(0);
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(IsotropyTestData.ToDataView(ml, IsotropyTestData.Correlated(30, 4)));
        Assert.Contains("'Features'", Assert.Throws<ArgumentException>(() => model.GetOutputSchema(ml.Data.LoadFromEnumerable(new[] { new { Other = 1f } }).Schema)).Message);
        var wrongSize = IsotropyTestData.ToDataView(ml, IsotropyTestData.Correlated(30, 5));
        Assert.Contains("size 5", Assert.Throws<ArgumentException>(() => model.Transform(wrongSize)).Message);
        var doubles = IsotropyTestData.ToDoubleDataView(ml, [[1.0, 2, 3, 4]]);
        Assert.Contains("Double", Assert.Throws<ArgumentException>(() => model.GetOutputSchema(doubles.Schema)).Message);
    }

    [Fact]
    public void RowsOfInconsistentLength_NameTheRow()
    {
        var ml = new MLContext(0);
        var rows = IsotropyTestData.Correlated(10, 4).ToList();
        rows[6] = [1, 2, 3];
        var error = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(IsotropyTestData.ToDataView(ml, rows, knownSize: false)));
        Assert.Contains("'Features'", error.Message);
        Assert.Contains("row 6", error.Message);
        Assert.Contains("length 3", error.Message);
    }

    [Fact]
    public void InvalidValues_FailByDefault_NamingTheRow()
    {
        var ml = new MLContext(0);
        var rows = IsotropyTestData.Correlated(10, 4);
        rows[7][2] = float.NaN;
        var error = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(IsotropyTestData.ToDataView(ml, rows)));
        Assert.Contains("row 7", error.Message);
        Assert.Contains("'Features'", error.Message);
    }

    [Fact]
    public void InvalidValues_CanBeSkippedAndCounted()
    {
        var ml = new MLContext(0);
        var clean = IsotropyTestData.Correlated(40, 4);
        var dirty = clean.Select(r => (float[])r.Clone()).ToList();
        dirty.Insert(3, [1, float.NaN, 2, 3]);
        dirty.Insert(20, [float.PositiveInfinity, 1, 2, 3]);
        var options = new IsotropyOptions { InvalidValueHandling = InvalidValueHandling.Skip };
        var skipped = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, options).Fit(IsotropyTestData.ToDataView(ml, dirty)).Report;
        var reference = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(IsotropyTestData.ToDataView(ml, clean)).Report;
        Assert.Equal(2, skipped.SkippedRowCount);
        Assert.Equal(40, skipped.Count);
        Assert.Equal(reference.IsoScore, skipped.IsoScore, 12);
        Assert.Equal(reference.AverageCosineSimilarity, skipped.AverageCosineSimilarity, 12);
    }

    [Fact]
    public void FewerThanTwoValidRows_Fails()
    {
        var ml = new MLContext(0);
        var one = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(IsotropyTestData.ToDataView(ml, [[1f, 2f, 3f]])));
        Assert.Contains("1 valid row", one.Message);
        var allBad = Enumerable.Range(0, 3).Select(_ => new[] { float.NaN, 1f, 2f }).ToList();
        var skipped = Assert.Throws<InvalidOperationException>(() => ml.Transforms
            .MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { InvalidValueHandling = InvalidValueHandling.Skip })
            .Fit(IsotropyTestData.ToDataView(ml, allBad)));
        Assert.Contains("3 skipped", skipped.Message);
    }

    [Fact]
    public void LengthOneVectors_Fail()
    {
        var ml = new MLContext(0);
        var error = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(IsotropyTestData.ToDataView(ml, [[1f], [2f], [3f]])));
        Assert.Contains("at least 2 dimensions", error.Message);
    }

    [Theory]
    [InlineData(IsotropyPostProcessing.None)]
    [InlineData(IsotropyPostProcessing.Whiten)]
    [InlineData(IsotropyPostProcessing.AllButTheTop)]
    public void ZeroVariance_GivesDefinedScores_AndFiniteOutput(IsotropyPostProcessing postProcessing)
    {
        var ml = new MLContext(0);
        var rows = Enumerable.Range(0, 20).Select(_ => new[] { 1f, 2f, 3f }).ToArray();
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = postProcessing })
            .Fit(IsotropyTestData.ToDataView(ml, rows));
        var report = model.Report;
        Assert.Equal(0, report.IsoScore);
        Assert.Equal(1, report.AverageCosineSimilarity, 12);
        Assert.Equal(0, report.IntrinsicDimension);
        Assert.All(report.Eigenvalues, v => Assert.Equal(0, v));
        Assert.DoesNotContain("NaN", report.ToJson());
        Assert.DoesNotContain("Infinity", report.ToJson());
        var output = IsotropyTestData.ReadColumn(model.Transform(IsotropyTestData.ToDataView(ml, rows)), IsotropyTestData.Column);
        Assert.All(output, row => Assert.All(row, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void InvalidOptions_FailWhenTheEstimatorIsCreated()
    {
        var ml = new MLContext(0);
        Assert.Contains("SampleSize", Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureIsotropy("F", new IsotropyOptions { SampleSize = 1 })).Message);
        Assert.Contains("WhitenComponents", Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureIsotropy("F", new IsotropyOptions { WhitenComponents = 0 })).Message);
        Assert.Contains("RogueTopK", Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureIsotropy("F", new IsotropyOptions { RogueTopK = -1 })).Message);
        Assert.Contains("WhitenEpsilon", Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureIsotropy("F", new IsotropyOptions { WhitenEpsilon = double.NaN })).Message);
        Assert.Contains("OutputColumnName", Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureIsotropy("F", new IsotropyOptions { OutputColumnName = "" })).Message);
        Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.MeasureIsotropy(""));
    }

    [Fact]
    public void Options_AreCopied_SoLaterChangesDoNotLeakIn()
    {
        var ml = new MLContext(0);
        var options = new IsotropyOptions { OutputColumnName = "A" };
        var estimator = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, options);
        options.OutputColumnName = "B";
        Assert.Equal("A", estimator.OutputColumnName);
    }

    [Fact]
    public void Fit_HonoursCancellation()
    {
        var ml = new MLContext(0);
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ml.Transforms
            .MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { CancellationToken = source.Token })
            .Fit(IsotropyTestData.ToDataView(ml, IsotropyTestData.Correlated(10, 3))));
    }
}
