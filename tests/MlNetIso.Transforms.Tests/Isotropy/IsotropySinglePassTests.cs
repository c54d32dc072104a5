using Microsoft.ML;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>Fit reads the column once: one cursor, one active column, one MoveNext per row (+1 at the end).</summary>
public sealed class IsotropySinglePassTests
{
    [Theory]
    [InlineData(IsotropyPostProcessing.None)]
    [InlineData(IsotropyPostProcessing.Whiten)]
    [InlineData(IsotropyPostProcessing.AllButTheTop)]
    public void Fit_StreamsTheColumnExactlyOnce(IsotropyPostProcessing postProcessing)
    {
        var ml = new MLContext(0);
        var rows = IsotropyTestData.Correlated(250, 5);
        var counting = new CountingDataView(IsotropyTestData.ToDataView(ml, rows));
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = postProcessing, SampleSize = 50 })
            .Fit(counting);
        Assert.Equal(1, counting.CursorsOpened);
        Assert.Equal([1], counting.ActiveColumnCounts);
        Assert.Equal(rows.Length + 1, counting.MoveNextCalls);
        Assert.Equal(rows.Length, model.Report.Count);
        Assert.Equal(50, model.Report.SampleCount);
    }

    [Fact]
    public void Transform_IsLazy()
    {
        var ml = new MLContext(0);
        var rows = IsotropyTestData.Correlated(50, 4);
        var counting = new CountingDataView(IsotropyTestData.ToDataView(ml, rows));
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column).Fit(counting);
        var before = counting.CursorsOpened;
        var output = model.Transform(counting);
        Assert.Equal(before, counting.CursorsOpened);
        Assert.Equal(50, IsotropyTestData.ReadColumn(output, IsotropyTestData.Column).Length);
        Assert.Equal(before + 1, counting.CursorsOpened);
    }
}
