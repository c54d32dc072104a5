using Microsoft.ML;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary><c>MeasureIsotropy</c> keeps the estimator contract (<see cref="EstimatorContract"/>) for each input kind.</summary>
public sealed class IsotropyEstimatorContractTests
{
    private sealed class TextFeatures
    {
        public string Features { get; set; } = "";
    }

    private static IDataView Invalid(MLContext ml) =>
        ml.Data.LoadFromEnumerable([new TextFeatures { Features = "a" }, new TextFeatures { Features = "b" }]);

    [Fact]
    public void KnownSizeSingleColumn_WhitenedIntoANewColumn_KeepsTheContract()
    {
        var ml = new MLContext(0);
        var data = IsotropyTestData.ToDataView(ml, IsotropyTestData.Correlated(40, 5));
        var estimator = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column,
            new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Whiten, WhitenComponents = 3, OutputColumnName = "Whitened" });
        EstimatorContract.Check(estimator, data, Invalid(ml), IsotropyTestData.Column);
    }

    [Fact]
    public void UnknownSizeSingleColumn_CentredInPlace_KeepsTheContract()
    {
        var ml = new MLContext(0);
        var data = IsotropyTestData.ToDataView(ml, IsotropyTestData.Correlated(40, 4), knownSize: false);
        var estimator = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Center });
        EstimatorContract.Check(estimator, data, Invalid(ml), IsotropyTestData.Column);
    }

    [Fact]
    public void DoubleColumn_AllButTheTop_KeepsTheContract()
    {
        var ml = new MLContext(0);
        var rows = IsotropyTestData.Correlated(40, 6).Select(r => r.Select(v => (double)v).ToArray());
        var data = IsotropyTestData.ToDoubleDataView(ml, rows);
        var estimator = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column,
            new IsotropyOptions { PostProcessing = IsotropyPostProcessing.AllButTheTop, OutputColumnName = "Abtt" });
        EstimatorContract.Check(estimator, data, Invalid(ml), IsotropyTestData.Column);
    }
}
