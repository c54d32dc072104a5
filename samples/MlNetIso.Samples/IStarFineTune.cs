using Microsoft.ML;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Samples;

/// <summary>
/// Sample 4 — I-STAR fine-tuning: the pretrained encoder itself (all-MiniLM-L6-v2, its weights recovered from the
/// package's model.onnx once) is trained (TorchSharp) with the I-STAR penalty on the token states of its layers, then
/// exported as a Hugging Face folder with model.onnx for the TempScale transform.
/// </summary>
public static class IStarFineTune
{
    /// <summary>Runs the sample with <paramref name="encoder"/> (one short epoch on 150 sentences); returns the test accuracy.</summary>
    public static double Run(string outDir, TextWriter log, string encoder = SampleData.Encoder)
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(SampleData.Reviews(perClass: 100)), 0.25, seed: 0);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.IStar(new IStarOptions
            {
                TextColumnName = "Text",
                EncoderPath = encoder,
                Lambda = -1, Zeta = 0.2, Epochs = 1, BatchSize = 16, MaxTokens = 48, LearningRate = 5e-5, Seed = 0,
                ReferencePoints = 2000, // a small C0 bank keeps the sample quick
            }));
        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        log.WriteLine($"fine-tuned accuracy {metrics.MicroAccuracy:F3}; epoch IsoScore* {model.LastTransformer.TrainingHistory[^1].IsoScoreStar:F3}");

        // The fine-tuned encoder as an HF-style folder (config.json, vocab.txt, model.safetensors, model.onnx).
        model.LastTransformer.ExportEncoder(Path.Combine(outDir, "fine-tuned-encoder"));
        return metrics.MicroAccuracy;
    }
}
