using Microsoft.ML;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary><c>ApplyTempScaleEmbedding</c> keeps the estimator contract (<see cref="EstimatorContract"/>).</summary>
public sealed class TempScaleEmbeddingContractTests
{
    private static readonly TestEncoderFolder Encoder = new();

    private sealed class NumericText
    {
        public float Text { get; set; }
    }

    [Fact]
    public void TextColumn_AtTemperatureBelowOne_InSeveralBlocks_KeepsTheContract()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, TestEncoderFolder.MixedTexts(11, seed: 5));
        var options = Encoder.Options(temperature: 0.7f);
        options.BatchSize = 2;
        options.ReadAheadBatches = 2; // blocks of 4 rows: 11 rows cross three blocks
        var estimator = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options);
        var invalid = ml.Data.LoadFromEnumerable([new NumericText { Text = 1 }]);
        // Blocks pad texts to the longest in their batch, a single row is not padded: the two differ by rounding only.
        EstimatorContract.Check(estimator, data, invalid, "Text", tolerance: 1e-5);
    }
}
