using Microsoft.ML;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Samples;

/// <summary>
/// Sample 3 — I-STAR head-only (Rudman &amp; Eickhoff, arXiv 2305.19358): a small classifier head on TempScale embeddings,
/// trained with cross-entropy + λ·(1 − IsoScore*) for λ = −1 (less isotropic) and λ = +1 (more isotropic).
/// </summary>
public static class IStarHeadOnly
{
    /// <summary>Runs the sample with <paramref name="encoder"/>; returns (λ, test accuracy, IsoScore of the head's representation) per λ.</summary>
    public static List<(double Lambda, double Accuracy, double IsoScore)> Run(string outDir, TextWriter log, string encoder = SampleData.Encoder)
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(SampleData.Reviews(perClass: 200)), 0.25, seed: 0);

        // Embed once and cache: the trainer then makes several passes over vectors, not texts.
        var embedder = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.ApplyTempScaleEmbedding("Features", encoder, inputColumnName: "Text"))
            .Fit(split.TrainSet);
        var train = ml.Data.Cache(embedder.Transform(split.TrainSet));
        var test = ml.Data.Cache(embedder.Transform(split.TestSet));

        var results = new List<(double, double, double)>();
        foreach (var lambda in new[] { -1.0, 1.0 })
        {
            var trainer = ml.MulticlassClassification.Trainers.IStar(new IStarOptions
            {
                FeatureColumnName = "Features", Lambda = lambda, Zeta = 0.2, HiddenSize = 32, Epochs = 10, LearningRate = 1e-2, Seed = 0,
            });
            var model = trainer.Fit(train);
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            var iso = model.MeasureRepresentationIsotropy(test);
            log.WriteLine($"λ = {lambda,2}: accuracy {metrics.MicroAccuracy:F3}, IsoScore of the head's representation {iso.IsoScore:F3}");
            results.Add((lambda, metrics.MicroAccuracy, iso.IsoScore));
        }
        return results;
    }
}
