using System.Diagnostics;
using Microsoft.ML;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Transforms.Encoders;
using Xunit.Abstractions;

namespace MlNetIso.Trainers.Tests.IStar;

/// <summary>
/// Fine-tune mode on a built-in name: <c>EncoderPath = "all-MiniLM-L6-v2"</c> trains the real pretrained encoder, whose
/// weights are recovered from the package's model.onnx once and kept in its cache entry. Kept short on purpose: a
/// dozen sentences, 32 tokens, three steps.
/// </summary>
public class BuiltInFineTuneTests(ITestOutputHelper output)
{
    private sealed class Row
    {
        public string Label { get; set; } = "";

        public string Text { get; set; } = "";
    }

    [Fact]
    public void FineTune_AllMiniLmByName_TrainsTheRealEncoder()
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "data", "rt-sentence-polarity-v1");
        var rows = File.ReadLines(Path.Combine(folder, "rt-polarity.pos")).Take(6).Select(t => new Row { Label = "pos", Text = t })
            .Concat(File.ReadLines(Path.Combine(folder, "rt-polarity.neg")).Take(6).Select(t => new Row { Label = "neg", Text = t }))
            .ToArray();
        var ml = new MLContext(1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var options = new IStarOptions
        {
            TextColumnName = "Text", EncoderPath = "all-MiniLM-L6-v2", Lambda = -1, Epochs = 1, BatchSize = 4, MaxTokens = 32,
            LearningRate = 1e-4, Layers = IStarLayers.Last, Seed = 1, ReferencePoints = 200,
        };

        var clock = Stopwatch.StartNew();
        using var model = ml.MulticlassClassification.Trainers.IStar(options).Fit(data);
        output.WriteLine($"fine-tuning all-MiniLM-L6-v2 on 12 sentences, 3 steps: {clock.Elapsed.TotalSeconds:F1} s (first run includes the weight import)");

        // The real encoder: the built-in entry, now with model.safetensors beside model.onnx, and still a valid entry.
        var entry = EncoderFolder.Open("all-MiniLM-L6-v2");
        Assert.True(entry.HasWeights);
        Assert.Null(BuiltInEncoderCache.Problem(BuiltInEncoders.AllMiniLmL6V2, entry.Folder));
        var tuned = ((FineTuneNetwork)model.Network).Encoder;
        Assert.Equal((6, 384, 12, 30522), (tuned.Config.NumHiddenLayers, tuned.Config.HiddenSize, tuned.Config.NumAttentionHeads, tuned.Config.VocabSize));

        var step = Assert.Single(model.TrainingHistory);
        Assert.True(double.IsFinite(step.Loss) && double.IsFinite(step.TaskLoss), $"loss {step.Loss}, task loss {step.TaskLoss}");
        Assert.InRange(step.IsoScoreStar, 0, 1);

        // Three AdamW steps at 1e-4 move every trained weight a little and no weight far from the pretrained one.
        using var pretrained = BertCheckpoint.LoadFolder(entry);
        var before = pretrained.state_dict();
        var moved = 0.0;
        foreach (var (name, after) in tuned.state_dict())
        {
            using var delta = (after - before[name]).abs().max();
            moved = Math.Max(moved, delta.item<float>());
        }
        output.WriteLine($"largest weight change: {moved:E2}");
        Assert.InRange(moved, 1e-5, 0.05);
    }
}
