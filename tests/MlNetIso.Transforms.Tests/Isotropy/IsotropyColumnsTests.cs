using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>The fitted transformer lists its column pair and report as NormalizingTransformer lists its parameters.</summary>
public sealed class IsotropyColumnsTests
{
    [Fact]
    public void Columns_AndGetIsotropyReport_ExposeTheReport_AlsoThroughAChain()
    {
        var ml = new MLContext(1);
        var data = IsotropyTestData.ToDataView(ml, IsotropyTestData.Gaussian(200, [3, 1, 0.5, 0.25]));
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { OutputColumnName = "Measured" })
            .Append(ml.Transforms.CopyColumns("Copy", "Measured"))
            .Append(ml.Transforms.MeasureIsotropy("Copy"))
            .Fit(data);
        var first = model.OfType<IsotropyTransformer>().First();
        var column = Assert.Single(first.Columns);
        Assert.Equal("Measured", column.Name);
        Assert.Equal(IsotropyTestData.Column, column.InputColumnName);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4), column.InputType);
        Assert.Same(first.Report, column.Report);
        Assert.Same(first.Report, first.GetIsotropyReport(0));
        Assert.Equal(4, first.GetIsotropyReport(0).Dimension);

        // As with model.LastTransformer.GetNormalizerModelParameters(0):
        Assert.Equal("Copy", model.LastTransformer.GetIsotropyReport(0).ColumnName);
        Assert.Equal(200, model.LastTransformer.GetIsotropyReport(0).Count);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => first.GetIsotropyReport(1));
        Assert.Contains("1 column pair", error.Message);
        foreach (var t in model.OfType<IDisposable>()) t.Dispose();
    }
}
