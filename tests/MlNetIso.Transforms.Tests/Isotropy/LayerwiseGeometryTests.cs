using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using MlNetIso.Geometry;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Embedding.Tokenization;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Transforms.Isotropy;
using MlNetIso.Transforms.Tests.Embedding;

namespace MlNetIso.Transforms.Tests.Isotropy;

public class LayerwiseGeometryTests
{
    private static string DemoModel => Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini", "model.onnx");

    private static readonly string[] Texts = Enumerable.Range(0, 36).Select(i =>
        $"review {i}: the {(i % 4) switch { 0 => "film", 1 => "plot", 2 => "acting", _ => "music" }} was " +
        $"{(i % 3) switch { 0 => "a delight from start to finish", 1 => "dull and far too long", _ => "fine" }}" +
        (i % 5 == 0 ? " , though the ending drags on and on" : "")).ToArray();

    private static readonly IsotropyOptions Isotropy = new() { SampleSize = 1000, Seed = 3 };

    [Fact]
    public void LastLayer_EqualsMeasureIsotropyOfTheMeanPooledEmbeddingColumn()
    {
        var ml = new MLContext(0);
        var encoder = new TempScaleEmbeddingOptions { ModelPath = DemoModel, Pooling = EmbeddingPooling.Mean, Normalize = false };
        var result = LayerwiseGeometry.Measure(ml, Texts, encoder, Isotropy);
        Assert.Equal(3, result.Layers.Count); // 2 layers + the embedding output
        Assert.Equal(Texts.Length, result.TextCount);
        Assert.Equal([0, 1, 2], result.Layers.Select(l => l.Layer));

        var data = EmbeddingTestData.Texts(ml, Texts);
        using var embedder = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", encoder).Fit(data);
        using var measured = ml.Transforms.MeasureIsotropy("E", Isotropy).Fit(embedder.Transform(data));
        var direct = measured.Report;
        var last = result.Layers[^1].Pooled;
        Assert.Equal(direct.Count, last.Count);
        Assert.Equal(direct.IsoScore, last.IsoScore, 1e-5);
        Assert.Equal(direct.AverageCosineSimilarity, last.AverageCosineSimilarity, 1e-5);
        Assert.Equal(direct.MatrixEntropy, last.MatrixEntropy, 1e-4);
        Assert.Equal(direct.EffectiveRank.Covariance, last.EffectiveRank.Covariance, 1e-3);
        Assert.Equal(direct.IntrinsicDimension, last.IntrinsicDimension, 1e-3);
    }

    [Fact]
    public void EveryLayer_EqualsTheMeasuresOfItsHiddenStatesComputedDirectly()
    {
        var ml = new MLContext(0);
        var result = LayerwiseGeometry.Measure(ml, Texts, new TempScaleEmbeddingOptions { ModelPath = DemoModel }, Isotropy);

        // The hidden states straight from ONNX Runtime, one text at a time, pooled and measured here.
        var exposed = EncoderLayerOutputs.Expose(File.ReadAllBytes(DemoModel), LayerOutputKinds.HiddenStates);
        var tokenizer = BertTextTokenizer.Create(Path.Combine(Path.GetDirectoryName(DemoModel)!, "vocab.txt"));
        using var session = new InferenceSession(exposed.Model);
        var pooled = exposed.HiddenStates.Select(_ => new List<float[]>()).ToArray();
        var tokenEntropy = exposed.HiddenStates.Select(_ => new List<double>()).ToArray();
        var normalized = exposed.HiddenStates.Select(_ => new List<double>()).ToArray();
        foreach (var text in Texts)
        {
            var ids = tokenizer.Encode(text, 512).Select(i => (long)i).ToArray();
            long[] shape = [1, ids.Length];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(ids.Select(_ => 1L).ToArray(), shape);
            using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
            var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue, ["token_type_ids"] = typesValue }
                .Where(kv => session.InputMetadata.ContainsKey(kv.Key)).ToDictionary();
            using var outputs = session.Run(new RunOptions(), inputs.Keys.ToList(), inputs.Values.ToList(), exposed.HiddenStates.ToList());
            for (var l = 0; l < outputs.Count; l++)
            {
                var values = outputs[l].GetTensorDataAsSpan<float>().ToArray();
                var d = values.Length / ids.Length;
                var rows = Enumerable.Range(0, ids.Length).Select(t => values[(t * d)..((t + 1) * d)]).ToList();
                pooled[l].Add(Enumerable.Range(0, d).Select(j => (float)rows.Average(r => (double)r[j])).ToArray());
                tokenEntropy[l].Add(SpectralMeasures.MatrixEntropy(rows));
                normalized[l].Add(tokenEntropy[l][^1] / Math.Log(Math.Min(ids.Length - 1, d))); // every text here has > 3 tokens
            }
        }

        Assert.Equal(exposed.HiddenStates.Count, result.Layers.Count);
        for (var l = 0; l < result.Layers.Count; l++)
        {
            var layer = result.Layers[l];
            Assert.Equal(IsotropyScores.IsoScore(pooled[l]), layer.Pooled.IsoScore, 1e-6);
            Assert.Equal(AverageCosine.Exact(pooled[l]), layer.Pooled.AverageCosineSimilarity, 1e-6);
            Assert.Equal(SpectralMeasures.MatrixEntropy(pooled[l]), layer.Pooled.MatrixEntropy, 1e-6); // 36 rows < sample size: the whole cloud
            Assert.Equal(TwoNN.Estimate(pooled[l]), layer.Pooled.IntrinsicDimension, 1e-6);
            Assert.Equal(tokenEntropy[l].Average(), layer.MeanTokenMatrixEntropy, 1e-9);
            var sd = Math.Sqrt(tokenEntropy[l].Sum(h => (h - tokenEntropy[l].Average()) * (h - tokenEntropy[l].Average())) / (Texts.Length - 1));
            Assert.Equal(sd, layer.TokenMatrixEntropyStandardDeviation, 1e-9);
            Assert.Equal(normalized[l].Average(), layer.MeanNormalizedTokenMatrixEntropy, 1e-9);
            Assert.InRange(layer.MeanNormalizedTokenMatrixEntropy, 0.0, 1.0);
        }
        // The layers differ: this is not one state measured three times.
        Assert.True(Math.Abs(result.Layers[0].Pooled.IsoScore - result.Layers[2].Pooled.IsoScore) > 1e-3);
    }

    [Fact]
    public void Temperature_LeavesTheEmbeddingOutputAndChangesTheLayers()
    {
        var ml = new MLContext(0);
        var plain = LayerwiseGeometry.Measure(ml, Texts, new TempScaleEmbeddingOptions { ModelPath = DemoModel }, Isotropy);
        var scaled = LayerwiseGeometry.Measure(ml, Texts, new TempScaleEmbeddingOptions { ModelPath = DemoModel, Temperature = 0.5f }, Isotropy);
        Assert.Equal(0.5f, scaled.Temperature);
        Assert.Equal(plain.Layers[0].Pooled.IsoScore, scaled.Layers[0].Pooled.IsoScore, 12);
        Assert.Equal(plain.Layers[0].MeanTokenMatrixEntropy, scaled.Layers[0].MeanTokenMatrixEntropy, 12);
        Assert.NotEqual(plain.Layers[2].Pooled.AverageCosineSimilarity, scaled.Layers[2].Pooled.AverageCosineSimilarity, 6);
    }

    [Fact]
    public void TooFewTexts_AreRejected()
    {
        var ml = new MLContext(0);
        var one = Assert.Throws<ArgumentException>(() => LayerwiseGeometry.Measure(ml, ["only one"], new TempScaleEmbeddingOptions { ModelPath = DemoModel }));
        Assert.Contains("at least 2 texts", one.Message);
    }
}
