using Microsoft.ML;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Trainers.Tests.IStar;

/// <summary>Both I-STAR trainers keep the estimator contract (<see cref="EstimatorContract"/>).</summary>
public sealed class IStarContractTests
{
    private static IStarOptions Tiny() => new()
    {
        FeatureColumnName = "Features",
        HiddenSize = 8,
        Epochs = 2,
        BatchSize = 16,
        Seed = 3,
        ReferencePoints = 200,
    };

    private sealed class ScalarFeatures
    {
        public string Label { get; set; } = "";

        public float Features { get; set; }
    }

    private sealed class BinaryScalarFeatures
    {
        public bool Label { get; set; }

        public float Features { get; set; }
    }

    // Scores computed in blocks of 64 rows and row by row go through differently shaped matrix products.
    private const double BlockVersusRow = 1e-5;

    [Fact]
    public void Multiclass_KeepsTheContract()
    {
        var ml = new MLContext(1);
        var rows = IStarTestData.Blobs(30, 4); // 90 rows: two scoring blocks
        var data = IStarTestData.Keyed(ml, rows);
        var invalid = ml.Transforms.Conversion.MapValueToKey("Label")
            .Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows.Select(r => new ScalarFeatures { Label = r.Label, Features = 1 })));
        EstimatorContract.Check(ml.MulticlassClassification.Trainers.IStar(Tiny()), data, invalid, "Features", BlockVersusRow);
    }

    [Fact]
    public void Binary_KeepsTheContract()
    {
        var ml = new MLContext(1);
        var rows = IStarTestData.BinaryBlobs(40, 4);
        var data = ml.Data.LoadFromEnumerable(rows);
        var invalid = ml.Data.LoadFromEnumerable(rows.Select(r => new BinaryScalarFeatures { Label = r.Label, Features = 1 }));
        EstimatorContract.Check(ml.BinaryClassification.Trainers.IStar(Tiny()), data, invalid, "Features", BlockVersusRow);
    }

    private sealed class NumericText
    {
        public string Label { get; set; } = "";

        public float Text { get; set; }
    }

    [Fact]
    public void FineTune_OnATextColumn_KeepsTheContract()
    {
        var ml = new MLContext(1);
        var reviews = FineTuneTests.Reviews(70, 2); // two scoring blocks
        var data = KeyLabels(ml, ml.Data.LoadFromEnumerable(reviews), ml.Data.LoadFromEnumerable(reviews));
        var invalid = KeyLabels(ml, ml.Data.LoadFromEnumerable(reviews), ml.Data.LoadFromEnumerable(reviews.Select(r => new NumericText { Label = r.Label, Text = 1 })));
        var options = new IStarOptions
        {
            TextColumnName = "Text", EncoderPath = FineTuneTests.TinyEncoderFolder(), Epochs = 1, BatchSize = 16, MaxTokens = 12, Seed = 4,
            ReferencePoints = 500,
        };
        EstimatorContract.Check(ml.MulticlassClassification.Trainers.IStar(options), data, invalid, "Text", BlockVersusRow);
    }

    private static IDataView KeyLabels(MLContext ml, IDataView keySource, IDataView data) =>
        ml.Transforms.Conversion.MapValueToKey("Label").Fit(keySource).Transform(data);
}
