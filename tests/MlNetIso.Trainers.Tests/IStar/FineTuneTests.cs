using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Onnx.Bert;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Trainers.Tests.IStar;

public class FineTuneTests
{
    private static readonly string[] Words = ["good", "great", "fine", "bad", "awful", "poor", "movie", "film", "plot", "the", "a", "was", "very"];

    public sealed class TextRow
    {
        public string Label { get; set; } = "";

        public string Text { get; set; } = "";
    }

    /// <summary>A 2-layer, 16-wide random BERT with a tiny vocabulary, written as an HF folder.</summary>
    internal static string TinyEncoderFolder()
    {
        var folder = TestPaths.NewTempDir();
        var config = new BertConfig
        {
            VocabSize = 5 + Words.Length, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 32,
            MaxPositionEmbeddings = 32,
        };
        TorchSharp.torch.random.manual_seed(1);
        using var encoder = new BertEncoder(config);
        BertCheckpoint.SaveFolder(encoder, folder);
        EncoderFolder.Write(folder, new EncoderFolderContent
        {
            Vocabulary = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Words]) + "\n"),
        });
        return folder;
    }

    internal static TextRow[] Reviews(int count, int seed)
    {
        var rng = new Random(seed);
        string[] pos = ["good", "great", "fine"], neg = ["bad", "awful", "poor"], filler = ["movie", "film", "plot", "the", "a", "was", "very"];
        return Enumerable.Range(0, count).Select(i =>
        {
            bool positive = i % 2 == 0;
            var words = Enumerable.Range(0, 2 + rng.Next(4)).Select(_ => filler[rng.Next(filler.Length)]).ToList();
            words.Insert(rng.Next(words.Count), (positive ? pos : neg)[rng.Next(3)]);
            return new TextRow { Label = positive ? "pos" : "neg", Text = string.Join(' ', words) };
        }).ToArray();
    }

    private static IStarOptions Options(string encoder, IStarLayers layers = IStarLayers.All) => new()
    {
        TextColumnName = "Text", EncoderPath = encoder, Lambda = -1, Epochs = 3, BatchSize = 8, LearningRate = 3e-3,
        MaxTokens = 12, Layers = layers, Seed = 4, ReferencePoints = 2000,
    };

    [Fact]
    public void FineTune_TrainsEvaluatesSavesLoadsAndExportsTheEncoder()
    {
        var encoderFolder = TinyEncoderFolder();
        var ml = new MLContext(1);
        var rows = Reviews(48, 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.IStar(Options(encoderFolder)));
        var model = pipeline.Fit(data);
        var istar = model.LastTransformer;
        Assert.Equal(3, istar.TrainingHistory.Count);
        Assert.All(istar.TrainingHistory, m => Assert.InRange(m.IsoScoreStar, 0, 1));

        var scored = model.Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.7, $"accuracy {metrics.MicroAccuracy}");

        var path = Path.Combine(TestPaths.NewTempDir(), "finetune.zip");
        ml.Model.SavePackaged(model, data.Schema, path);
        var loaded = new MLContext(3).Model.LoadPackaged(path, out _);
        Assert.Equal(
            scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()),
            loaded.Transform(data).GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()));

        var export = TestPaths.NewTempDir();
        istar.ExportEncoder(export);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "model.onnx" })
            Assert.True(File.Exists(Path.Combine(export, file)), file);
        using var reloaded = BertCheckpoint.LoadFolder(export);
        using var original = BertCheckpoint.LoadFolder(encoderFolder);
        var tuned = reloaded.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        Assert.NotEqual(original.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray(), tuned);
        Assert.Equal(((FineTuneNetwork)istar.Network).Encoder.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray(), tuned);

        foreach (var step in ((IEnumerable<ITransformer>)loaded).OfType<IDisposable>()) step.Dispose();
        istar.Dispose();
    }

    /// <summary>Fine-tuning trains with dropout (0.1, BERT's); its masks follow the seed, so a fixed seed gives the same weights.</summary>
    [Fact]
    public void FineTune_IsDeterministicForAFixedSeed_DropoutIncluded()
    {
        var encoderFolder = TinyEncoderFolder();
        var ml = new MLContext(1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(Reviews(24, 2)))
            .Transform(ml.Data.LoadFromEnumerable(Reviews(24, 2)));
        float[] Weights(int seed)
        {
            var options = Options(encoderFolder);
            options.Seed = seed;
            options.Epochs = 1;
            using var model = ml.MulticlassClassification.Trainers.IStar(options).Fit(data);
            return model.Network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        }
        var a = Weights(5);
        Assert.Equal(a, Weights(5));
        Assert.NotEqual(a, Weights(6));
    }

    [Fact]
    public void FineTune_PointsExcludePaddingAndFollowTheLayerOption()
    {
        var encoderFolder = TinyEncoderFolder();
        var ml = new MLContext(1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(Reviews(8, 2)))
            .Transform(ml.Data.LoadFromEnumerable(Reviews(8, 2)));
        long Points(IStarLayers layers, bool excludePadding)
        {
            var o = Options(encoderFolder, layers);
            o.Epochs = 1;
            o.ExcludePadding = excludePadding;
            using var model = ml.MulticlassClassification.Trainers.IStar(o).Fit(data);
            return model.MeasureRepresentationIsotropy(data).Points;
        }
        var tokens = Reviews(8, 2).Select(r => r.Text.Split(' ').Length + 2).ToArray();
        Assert.Equal(tokens.Sum(), Points(IStarLayers.Last, true));
        Assert.Equal(2 * tokens.Sum(), Points(IStarLayers.All, true));
        Assert.Equal(8 * tokens.Max(), Points(IStarLayers.Last, false));
    }

    [Fact]
    public void FineTune_BadInputFailsClearly()
    {
        var encoderFolder = TinyEncoderFolder();
        var ml = new MLContext(1);
        var rows = Reviews(6, 3);
        rows[2].Text = "   ";
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var empty = Assert.Throws<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.IStar(Options(encoderFolder)).Fit(data));
        Assert.Contains("Row 2", empty.Message);
        Assert.Contains("'Text'", empty.Message);

        var missing = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.IStar(new IStarOptions { TextColumnName = "Text" }));
        Assert.Contains("EncoderPath", missing.Message);
        var noFolder = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.IStar(Options(Path.Combine(encoderFolder, "nope"))));
        Assert.Contains("nope", noFolder.Message);
    }
}
