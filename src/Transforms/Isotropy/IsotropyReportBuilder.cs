using Microsoft.ML.Runtime;
using MlNetIso.Geometry;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Turns the statistics of the single pass into an <see cref="IsotropyReport"/> with the geometry core: covariance
/// scores on all rows, point-based measures on the seeded sample.
/// </summary>
internal static class IsotropyReportBuilder
{
    /// <summary>Builds the report.</summary>
    /// <param name="measurement">The pass statistics.</param>
    /// <param name="covariance">The covariance of all valid rows (ddof 1).</param>
    /// <param name="eigenvalues">Its eigenvalues, descending.</param>
    /// <param name="columnName">The measured column.</param>
    /// <param name="options">Options (RogueTopK, PostProcessing).</param>
    /// <param name="outputDimension">The output vector length d'.</param>
    /// <param name="channel">Log channel (notes when TwoNN is undefined on the sample).</param>
    public static IsotropyReport Build(
        IsotropyMeasurement measurement,
        double[,] covariance,
        double[] eigenvalues,
        string columnName,
        IsotropyOptions options,
        int outputDimension,
        IChannel channel)
    {
        var sample = measurement.Sample.Rows;
        // Eigenvalues below d·ε·λ_max are rounding noise; their square roots would distort the singular effective rank.
        var resolved = SpectralMeasures.FloorRoundingNoise(eigenvalues);
        var singularValues = resolved.Select(Math.Sqrt).ToArray();
        var effectiveRank = new IsotropyEffectiveRank(
            SpectralMeasures.EffectiveRankSingular(singularValues),
            SpectralMeasures.EffectiveRankCovariance(resolved));
        return new IsotropyReport
        {
            ColumnName = columnName,
            Count = measurement.Count,
            SkippedRowCount = measurement.SkippedRows,
            Dimension = measurement.Dimension,
            SampleCount = sample.Count,
            IsoScore = CovarianceScores.IsoScore(covariance),
            ParticipationRatio = CovarianceScores.ParticipationRatio(covariance),
            TopDimensionVarianceShare = CovarianceScores.TopDimensionVarianceShare(covariance),
            AverageCosineSimilarity = measurement.Cosine.AverageCosine(),
            CosineToMean = measurement.Cosine.CosineToMean(measurement.Covariance.GetMean()),
            PartitionIsotropy = PartitionIsotropy.Compute(sample),
            EffectiveRank = effectiveRank,
            MatrixEntropy = SpectralMeasures.MatrixEntropy(sample),
            IntrinsicDimension = IntrinsicDimension(sample, columnName, channel),
            Eigenvalues = [.. eigenvalues],
            RogueDimensions = [.. measurement.Cosine.RogueDimensions(options.RogueTopK)],
            PostProcessing = options.PostProcessing,
            OutputDimension = outputDimension,
        };
    }

    /// <summary>
    /// TwoNN on the sample; 0 when the sample has fewer than 3 distinct points or every neighbour ratio is 1 (a single
    /// repeated point or a regular lattice), where the estimator is undefined — a finite point set has dimension 0.
    /// </summary>
    private static double IntrinsicDimension(IReadOnlyList<float[]> sample, string columnName, IChannel channel)
    {
        try
        {
            return TwoNN.Estimate(sample);
        }
        catch (ArgumentException e)
        {
            channel.Warning(MessageSensitivity.None,
                $"MeasureIsotropy('{columnName}'): TwoNN intrinsic dimension is undefined on this sample ({e.Message}); reported as 0.");
            return 0.0;
        }
    }
}
