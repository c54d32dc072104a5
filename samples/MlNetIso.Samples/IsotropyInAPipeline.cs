using Microsoft.ML;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Samples;

/// <summary>Sample 1 — measure the isotropy of sentence embeddings inside an ML.NET pipeline, and whiten them.</summary>
public static class IsotropyInAPipeline
{
    /// <summary>Runs the sample with <paramref name="encoder"/> (a built-in name or a path), writing the report JSON into <paramref name="outDir"/>.</summary>
    public static IsotropyReport Run(string outDir, TextWriter log, string encoder = SampleData.Encoder)
    {
        var ml = new MLContext(seed: 0);
        var texts = ml.Data.LoadFromEnumerable(SampleData.Reviews(perClass: 150));

        // Text → embedding (all-MiniLM-L6-v2: mean pooling, L2, 256 tokens) → isotropy measured in one pass, whitened to 32 dimensions.
        var pipeline = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", encoder, inputColumnName: "Text")
            .Append(ml.Transforms.MeasureIsotropy("Embedding", new IsotropyOptions
            {
                OutputColumnName = "Whitened",
                PostProcessing = IsotropyPostProcessing.Whiten,
                WhitenComponents = 32,
            }));
        var model = pipeline.Fit(texts);

        // The fitted isotropy transformer is the last step of the chain; its Report holds every measure.
        var report = model.LastTransformer.Report;
        log.WriteLine($"rows {report.Count}, d {report.Dimension}: IsoScore {report.IsoScore:F3}, " +
                      $"average cosine {report.AverageCosineSimilarity:F3}, TwoNN dimension {report.IntrinsicDimension:F1}, " +
                      $"top rogue dimension {report.RogueDimensions[0].Dimension} ({report.RogueDimensions[0].Share:P0} of the cosine)");
        report.Save(Path.Combine(outDir, "isotropy.json"));

        // The whitened column is isotropic by construction: measure it again.
        var whitened = model.Transform(texts);
        var after = ml.Transforms.MeasureIsotropy("Whitened").Fit(whitened).Report;
        log.WriteLine($"after whitening: IsoScore {after.IsoScore:F3}, average cosine {after.AverageCosineSimilarity:F3}");
        return report;
    }
}
