using System.Diagnostics;
using Microsoft.ML;
using MlNetIso.Geometry;
using MlNetIso.Transforms.IO;
using MlNetIso.Transforms.Isotropy;
using Xunit.Abstractions;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>The transform on the staged GloVe-Twitter 25d vectors (shown as skipped when the shared data is absent).</summary>
public sealed class IsotropyRealVectorsTests(ITestOutputHelper output)
{
    private const string GloveTwitter = "glove-twitter-25d-12k/glove.twitter.27B.25d.top12k-subset.txt";

    [SharedDataFact(GloveTwitter)]
    public void GloveTwitter25d_ReportMatchesTheGeometryCore_AndPostProcessingRaisesIsotropy()
    {
        var vectors = VectorTextFile.Read(TestPaths.RequireSharedFile(GloveTwitter)).Vectors.ToArray();
        var ml = new MLContext(0);
        var data = IsotropyTestData.ToDataView(ml, vectors);

        var watch = Stopwatch.StartNew();
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions
        {
            PostProcessing = IsotropyPostProcessing.Whiten, WhitenNormalize = false, OutputColumnName = "Whitened", SampleSize = 2000,
        }).Fit(data);
        watch.Stop();
        var report = model.Report;
        output.WriteLine($"GloVe-Twitter 25d ({report.Count} × {report.Dimension}): fit {watch.ElapsedMilliseconds} ms; IsoScore {report.IsoScore:F4}, " +
                         $"AvgCos {report.AverageCosineSimilarity:F4}, cos-to-mean {report.CosineToMean:F4}, I(W) {report.PartitionIsotropy:G4}, " +
                         $"TwoNN {report.IntrinsicDimension:F2}, erank cov {report.EffectiveRank.Covariance:F2}, top rogue dim {report.RogueDimensions[0].Dimension}");

        Assert.Equal(11_925, report.Count);
        Assert.Equal(IsotropyScores.IsoScore(vectors), report.IsoScore, 10);
        Assert.Equal(CosineToMean.Compute(vectors), report.CosineToMean, 10);
        Assert.Equal(AverageCosine.Exact(vectors), report.AverageCosineSimilarity, 10);
        Assert.Equal(12, report.RogueDimensions[0].Dimension);

        // Re-measuring the whitened column: isotropic by construction.
        var whitened = ml.Transforms.MeasureIsotropy("Whitened").Fit(model.Transform(data)).Report;
        output.WriteLine($"after whitening: IsoScore {whitened.IsoScore:F4}, AvgCos {whitened.AverageCosineSimilarity:F4}");
        Assert.InRange(whitened.IsoScore, 0.999, 1.0);
        Assert.InRange(Math.Abs(whitened.AverageCosineSimilarity), 0, 0.01);

        // All-but-the-top removes the dominant direction: IsoScore rises, the rogue-dimension share falls.
        var abtt = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = IsotropyPostProcessing.AllButTheTop, OutputColumnName = "Abtt" }).Fit(data);
        var afterAbtt = ml.Transforms.MeasureIsotropy("Abtt").Fit(abtt.Transform(data)).Report;
        output.WriteLine($"after all-but-the-top (D = 1): IsoScore {afterAbtt.IsoScore:F4}, AvgCos {afterAbtt.AverageCosineSimilarity:F4}");
        Assert.True(afterAbtt.IsoScore > report.IsoScore);
        Assert.True(Math.Abs(afterAbtt.AverageCosineSimilarity) < report.AverageCosineSimilarity);
    }
}
