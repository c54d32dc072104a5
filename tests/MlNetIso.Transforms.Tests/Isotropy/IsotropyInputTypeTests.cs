using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>Vector&lt;Double&gt; and unknown-size inputs measure and transform like known-size Vector&lt;Single&gt;.</summary>
public sealed class IsotropyInputTypeTests
{
    private static readonly float[][] Rows = IsotropyTestData.Correlated(150, 5);
    private static readonly IsotropyOptions Whiten = new() { PostProcessing = IsotropyPostProcessing.Whiten, OutputColumnName = "Out" };

    private static (IsotropyTransformer Model, float[][] Output) FitAndApply(MLContext ml, IDataView data)
    {
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, Whiten).Fit(data);
        return (model, IsotropyTestData.ReadColumn(model.Transform(data), "Out"));
    }

    [Fact]
    public void DoubleInput_GivesTheSameReportAndOutputAsSingle()
    {
        var ml = new MLContext(0);
        var (single, singleOut) = FitAndApply(ml, IsotropyTestData.ToDataView(ml, Rows));
        var (@double, doubleOut) = FitAndApply(ml, IsotropyTestData.ToDoubleDataView(ml, Rows.Select(r => r.Select(v => (double)v).ToArray())));
        Assert.Equal(single.Report.ToJson(), @double.Report.ToJson());
        Assert.Equal(singleOut, doubleOut);
    }

    [Fact]
    public void UnknownSizeInput_GivesTheSameReportAndOutput_AndAKnownSizeOutputColumn()
    {
        var ml = new MLContext(0);
        var (known, knownOut) = FitAndApply(ml, IsotropyTestData.ToDataView(ml, Rows));
        var unknownData = IsotropyTestData.ToDataView(ml, Rows, knownSize: false);
        Assert.Equal(0, ((VectorDataViewType)unknownData.Schema[IsotropyTestData.Column].Type).Size);
        var (unknown, unknownOut) = FitAndApply(ml, unknownData);
        Assert.Equal(known.Report.ToJson(), unknown.Report.ToJson());
        Assert.Equal(knownOut, unknownOut);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 5), unknown.GetOutputSchema(unknownData.Schema)["Out"].Type);
    }

    [Fact]
    public void UnknownSizeInput_WorksWithPredictionEngine_AndChecksRowLengths()
    {
        var ml = new MLContext(0);
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, Whiten).Fit(IsotropyTestData.ToDataView(ml, Rows, knownSize: false));
        var expected = IsotropyTestData.ReadColumn(model.Transform(IsotropyTestData.ToDataView(ml, Rows)), "Out");
        using var engine = ml.Model.CreatePredictionEngine<IsotropyTestData.FloatRow, OutRow>(model);
        Assert.Equal(expected[3], engine.Predict(new IsotropyTestData.FloatRow { Features = Rows[3] }).Out);

        var ragged = Rows.Take(4).Append([1f, 2f]).ToArray();
        var output = model.Transform(IsotropyTestData.ToDataView(ml, ragged, knownSize: false));
        // ML.NET may read through parallel workers that wrap the error; the message is in the chain.
        var error = Assert.ThrowsAny<Exception>(() => IsotropyTestData.ReadColumn(output, "Out"));
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("row 4", messages);
        Assert.Contains("'Features'", messages);
    }

    public sealed class SparseRow
    {
        [VectorType(5)]
        public VBuffer<float> Features { get; set; }
    }

    [Fact]
    public void SparseRows_AreDensified()
    {
        var ml = new MLContext(0);
        // Every row has its largest coordinate kept and the rest implicit zeros; the dense copy must measure the same.
        var dense = Rows.Select(r => r.Select((v, j) => j == Array.IndexOf(r, r.Max()) ? v : 0f).ToArray()).ToArray();
        var sparse = dense.Select(r =>
        {
            int k = Array.FindIndex(r, v => v != 0);
            return new SparseRow { Features = new VBuffer<float>(5, 1, [r[k]], [k]) };
        });
        var fromSparse = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(ml.Data.LoadFromEnumerable(sparse)).Report;
        var fromDense = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(IsotropyTestData.ToDataView(ml, dense)).Report;
        Assert.Equal(fromDense.ToJson(), fromSparse.ToJson());
    }

    [Fact]
    public void Pipeline_LogsThroughMlContextLog()
    {
        var ml = new MLContext(0);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(IsotropyTestData.ToDataView(ml, Rows));
        lock (messages)
        {
            Assert.Contains(messages, m => m.Contains("MeasureIsotropy('Features'): read 150 rows of dimension 5"));
            Assert.Contains(messages, m => m.Contains("IsoScore"));
        }
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            yield return current;
    }

    public sealed class OutRow
    {
        public float[] Out { get; set; } = [];
    }
}
