using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>Schema, cursor, prediction-engine and threading behaviour of the transform.</summary>
public sealed class TempScaleEmbeddingBehaviourTests
{
    private static readonly TestEncoderFolder Encoder = new();

    private static TempScaleEmbeddingTransformer Fit(MLContext ml, IDataView data, Action<TempScaleEmbeddingOptions>? configure = null)
    {
        var options = Encoder.Options();
        options.BatchSize = 3;
        options.ReadAheadBatches = 2;
        configure?.Invoke(options);
        return ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
    }

    [Fact]
    public void Output_IsKnownSizeSingleVectorInBothSchemas()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, ["a movie"]);
        var estimator = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", Encoder.ModelPath, "Text");
        // SchemaShape.Create is internal: get a shape with a text column "Text" from a throw-away custom mapping.
        var inputShape = ml.Transforms.CustomMapping<NoInput, TextRow>((_, _) => { }, null).GetOutputSchema(new SchemaShape([]));
        var shape = estimator.GetOutputSchema(inputShape);
        var column = shape.Single(c => c.Name == "Embedding");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, column.Kind);
        Assert.Equal(NumberDataViewType.Single, column.ItemType);

        using var transformer = estimator.Fit(data);
        var type = Assert.IsType<VectorDataViewType>(transformer.GetOutputSchema(data.Schema)["Embedding"].Type);
        Assert.Equal(16, type.Size);
        Assert.Equal(NumberDataViewType.Single, type.ItemType);
        Assert.Equal(16, transformer.Dimension);
        Assert.Equal(64, transformer.MaxTokens); // config.json beside the model
    }

    [Fact]
    public void EstimatorSchema_RejectsMissingAndNonTextColumns()
    {
        var ml = new MLContext(1);
        var estimator = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", Encoder.ModelPath, "Label");
        var empty = new SchemaShape([]);
        Assert.Contains("'Label'", Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(empty)).Message);
        var boolShape = ml.Transforms.CustomMapping<NoInput, LabeledTextRow>((_, _) => { }, null).GetOutputSchema(empty);
        Assert.Contains("must be a scalar text column",
            Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(boolShape)).Message);
    }

    private sealed class NoInput;

    [Fact]
    public void RowOrderCountAndPassThroughColumns_ArePreservedAndSkippedRowsStayCorrect()
    {
        var ml = new MLContext(1);
        var texts = TestEncoderFolder.MixedTexts(17, seed: 11);
        var rows = texts.Select((t, i) => new LabeledTextRow { Text = t, Label = i % 2 == 0 }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = Fit(ml, data);
        var output = transformer.Transform(data);
        Assert.Equal(17, output.GetRowCount());
        var all = ReadVectors(output, "Embedding");

        // Read the embedding only on every third row (skipping whole read-ahead blocks) with the pass-through columns.
        using var cursor = output.GetRowCursor(output.Schema);
        var textGetter = cursor.GetGetter<ReadOnlyMemory<char>>(output.Schema["Text"]);
        var labelGetter = cursor.GetGetter<bool>(output.Schema["Label"]);
        var embeddingGetter = cursor.GetGetter<VBuffer<float>>(output.Schema["Embedding"]);
        var count = 0;
        while (cursor.MoveNext())
        {
            ReadOnlyMemory<char> text = default;
            var label = false;
            textGetter(ref text);
            labelGetter(ref label);
            Assert.Equal(texts[count], text.ToString());
            Assert.Equal(count % 2 == 0, label);
            if (count % 7 == 0)
            {
                VBuffer<float> v = default;
                embeddingGetter(ref v);
                embeddingGetter(ref v); // a second call on the same row gives the same value
                Assert.Equal(all[count], v.DenseValues().ToArray());
            }
            count++;
        }
        Assert.Equal(17, count);
    }

    [Fact]
    public void CursorWithoutTheEmbeddingColumn_DoesNotComputeIt()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, ["good", "bad"]);
        using var transformer = Fit(ml, data);
        var output = transformer.Transform(data);
        using var cursor = output.GetRowCursor([output.Schema["Text"]]);
        Assert.False(cursor.IsColumnActive(output.Schema["Embedding"]));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(output.Schema["Embedding"]));
        var n = 0;
        while (cursor.MoveNext()) n++;
        Assert.Equal(2, n);

        using var full = output.GetRowCursor(output.Schema);
        Assert.Contains("VBuffer<Single>", Assert.Throws<InvalidOperationException>(() => full.GetGetter<float>(output.Schema["Embedding"])).Message);
        var mapper = transformer.GetRowToRowMapper(data.Schema);
        using var input = data.GetRowCursor(data.Schema);
        var row = mapper.GetRow(input, [mapper.OutputSchema["Text"]]);
        Assert.False(row.IsColumnActive(mapper.OutputSchema["Embedding"]));
        Assert.Throws<InvalidOperationException>(() => row.GetGetter<VBuffer<float>>(mapper.OutputSchema["Embedding"]));
        Assert.Equal([data.Schema["Text"]], mapper.GetDependencies([mapper.OutputSchema["Embedding"]]));
    }

    [Fact]
    public void CursorSetAndShuffleRequests_KeepRowsAligned()
    {
        var ml = new MLContext(1);
        var texts = TestEncoderFolder.MixedTexts(10, seed: 4);
        var data = Texts(ml, texts);
        using var transformer = Fit(ml, data);
        var output = transformer.Transform(data);
        Assert.False(output.CanShuffle);
        var expected = ReadVectors(output, "Embedding");
        var cursors = output.GetRowCursorSet(output.Schema, 4, new Random(3));
        var seen = 0;
        foreach (var c in cursors)
        {
            using (c)
            {
                var t = c.GetGetter<ReadOnlyMemory<char>>(output.Schema["Text"]);
                var e = c.GetGetter<VBuffer<float>>(output.Schema["Embedding"]);
                while (c.MoveNext())
                {
                    ReadOnlyMemory<char> text = default;
                    VBuffer<float> v = default;
                    t(ref text);
                    e(ref v);
                    var index = Array.IndexOf(texts, text.ToString());
                    Assert.Equal(expected[index], v.DenseValues().ToArray());
                    seen++;
                }
            }
        }
        Assert.Equal(10, seen);
    }

    [Fact]
    public void ReplacingTheInputColumn_KeepsTheTextHidden()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, ["good movie"]);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Text", Encoder.ModelPath).Fit(data);
        var schema = transformer.GetOutputSchema(data.Schema);
        Assert.IsType<VectorDataViewType>(schema["Text"].Type);
        Assert.Single(ReadVectors(transformer.Transform(data), "Text"));
    }

    [Fact]
    public void PredictionEngine_MatchesTheBatchedPath()
    {
        var ml = new MLContext(1);
        var texts = TestEncoderFolder.MixedTexts(8, seed: 12);
        var data = Texts(ml, texts);
        using var transformer = Fit(ml, data);
        var expected = ReadVectors(transformer.Transform(data), "Embedding");
        var engine = ml.Model.CreatePredictionEngine<TextRow, EmbeddingRow>(transformer);
        for (var i = 0; i < texts.Length; i++)
            AssertClose(expected[i], engine.Predict(new TextRow { Text = texts[i] }).Embedding, 1e-6, $"row {i}");
    }

    [Fact]
    public void ConcurrentPredictionEnginesAndCursors_ShareOneTransformer()
    {
        var ml = new MLContext(1);
        var texts = TestEncoderFolder.MixedTexts(12, seed: 13);
        var data = Texts(ml, texts);
        using var transformer = Fit(ml, data);
        var expected = ReadVectors(transformer.Transform(data), "Embedding");
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, worker =>
        {
            if (worker % 2 == 0)
            {
                var again = ReadVectors(transformer.Transform(data), "Embedding");
                for (var i = 0; i < texts.Length; i++)
                    if (!again[i].SequenceEqual(expected[i])) failures.Add($"cursor {worker} row {i}");
            }
            else
            {
                var engine = ml.Model.CreatePredictionEngine<TextRow, EmbeddingRow>(transformer);
                for (var i = texts.Length - 1; i >= 0; i--)
                {
                    var e = engine.Predict(new TextRow { Text = texts[i] }).Embedding;
                    if (e.Zip(expected[i]).Any(p => Math.Abs(p.First - p.Second) > 1e-6)) failures.Add($"engine {worker} row {i}");
                }
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void DownstreamTrainer_BindsToTheEmbeddingColumn()
    {
        var ml = new MLContext(1);
        var rows = TestEncoderFolder.MixedTexts(30, seed: 14)
            .Select((t, i) => new LabeledTextRow { Text = t + (i % 2 == 0 ? " great fun" : " terrible boring"), Label = i % 2 == 0 })
            .ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", Encoder.ModelPath, "Text", temperature: 0.7f)
            .Append(ml.Transforms.NormalizeMinMax("Features", "Embedding"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression());
        var model = pipeline.Fit(data);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(data));
        Assert.InRange(metrics.Accuracy, 0.5, 1.0);
        foreach (var t in model.OfType<IDisposable>()) t.Dispose();
    }

    [Fact]
    public void DisposedTransformer_RefusesNewWork()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, ["good"]);
        var transformer = Fit(ml, data);
        transformer.Dispose();
        transformer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => transformer.Transform(data));
    }
}
