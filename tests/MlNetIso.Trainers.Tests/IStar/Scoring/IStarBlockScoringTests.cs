using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Scoring;

namespace MlNetIso.Trainers.Tests.IStar.Scoring;

/// <summary>
/// <c>Transform</c> scores rows in blocks of <see cref="IStarRowScores.BlockRows"/> through a read-ahead cursor; these
/// tests pin that to the row-by-row answer of <c>PredictionEngine</c> whatever the access pattern.
/// </summary>
public class IStarBlockScoringTests
{
    private static IStarOptions Tiny() => new()
    {
        FeatureColumnName = "Features", HiddenSize = 8, Epochs = 2, BatchSize = 16, LearningRate = 1e-2, Seed = 3, ReferencePoints = 1000,
    };

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Transform_ScoresInBlocks_EqualToRowByRowPrediction_ForEveryAccessPattern()
    {
        var ml = new MLContext(1);
        var rows = IStarTestData.Blobs(50, 4); // 150 rows: two full blocks and a partial one
        var data = IStarTestData.Keyed(ml, rows);
        using var model = ml.MulticlassClassification.Trainers.IStar(Tiny()).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<IStarTestData.Row, Prediction>(model, ignoreMissingColumns: true);
        var expected = rows.Select(r => engine.Predict(r).Score.ToArray()).ToArray();

        var scored = model.Transform(data);
        var all = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.Equal(rows.Length, all.Length);
        for (int i = 0; i < rows.Length; i++) AssertClose(expected[i], all[i], $"row {i}");

        // Scores read on some rows only (the others passed over, a block started in the middle, one skipped entirely).
        using (var cursor = scored.GetRowCursor(scored.Schema))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            var labelGetter = cursor.GetGetter<uint>(scored.Schema["Label"]);
            VBuffer<float> value = default;
            uint label = 0;
            var read = new[] { 5, 6, 69, 70, 140, 149 };
            while (cursor.MoveNext())
            {
                labelGetter(ref label); // pass-through columns still come from the current row
                Assert.Equal(int.Parse(rows[cursor.Position].Label["class".Length..]) + 1, (int)label);
                if (!read.Contains((int)cursor.Position)) continue;
                getter(ref value);
                getter(ref value); // a second read of the same row is served from the block
                AssertClose(expected[cursor.Position], value.DenseValues().ToArray(), $"row {cursor.Position}");
            }
        }

        // A shuffled cursor scores row by row; the values per row are unchanged.
        using (var shuffled = scored.GetRowCursor(scored.Schema, new Random(5)))
        {
            var getter = shuffled.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            var features = shuffled.GetGetter<VBuffer<float>>(scored.Schema["Features"]);
            VBuffer<float> value = default, x = default;
            int seen = 0;
            while (shuffled.MoveNext())
            {
                getter(ref value);
                features(ref x);
                int row = Array.FindIndex(rows, r => r.Features.SequenceEqual(x.DenseValues()));
                AssertClose(expected[row], value.DenseValues().ToArray(), $"shuffled row {row}");
                seen++;
            }
            Assert.Equal(rows.Length, seen);
        }
    }

    [Fact]
    public void BadRowInABlock_FailsAlone_NamingItself()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Blobs(20, 5);
        using var model = ml.MulticlassClassification.Trainers.IStar(Tiny()).Fit(IStarTestData.Keyed(ml, train));
        var engine = ml.Model.CreatePredictionEngine<IStarTestData.Row, Prediction>(model, ignoreMissingColumns: true);
        var rows = IStarTestData.Blobs(40, 6);
        rows[90].Features[2] = float.NaN; // in the second block (rows 64..127)
        var scored = model.Transform(IStarTestData.Keyed(ml, rows));
        using var cursor = scored.GetRowCursor(scored.Schema);
        var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        VBuffer<float> value = default;
        int scoredRows = 0;
        while (cursor.MoveNext())
        {
            if (cursor.Position == 90)
            {
                var error = Assert.Throws<InvalidOperationException>(() => getter(ref value));
                Assert.Contains("Row 90", error.Message);
                Assert.Contains("'Features'", error.Message);
                continue;
            }
            getter(ref value);
            AssertClose(engine.Predict(rows[cursor.Position]).Score, value.DenseValues().ToArray(), $"row {cursor.Position}");
            scoredRows++;
        }
        Assert.Equal(rows.Length - 1, scoredRows);
    }

    [Fact]
    public void FineTuneTransform_RegroupsRowsByLength_AndPutsEveryScoreBackOnItsRow()
    {
        var ml = new MLContext(1);
        var texts = FineTuneTests.Reviews(90, 8); // 2–6 words: the blocks mix lengths, so rows are regrouped
        var data = ml.Data.LoadFromEnumerable(texts);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        using var model = ml.MulticlassClassification.Trainers.IStar(new IStarOptions
        {
            TextColumnName = "Text", EncoderPath = FineTuneTests.TinyEncoderFolder(), Epochs = 1, BatchSize = 8, LearningRate = 3e-3,
            MaxTokens = 12, Seed = 4, ReferencePoints = 500,
        }).Fit(keyed);
        var engine = ml.Model.CreatePredictionEngine<FineTuneTests.TextRow, Prediction>(model, ignoreMissingColumns: true);
        var scores = model.Transform(keyed).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.Equal(texts.Length, scores.Length);
        for (int i = 0; i < texts.Length; i++) AssertClose(engine.Predict(texts[i]).Score, scores[i], $"row {i} ('{texts[i].Text}')");
        Assert.True(scores.Select(s => s[0]).Distinct().Count() > 10, "the rows should not all score alike");
    }

    private static void AssertClose(float[] expected, float[] actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-5f, $"{where}, class {k}: row by row {expected[k]}, block {actual[k]}");
    }
}
