using System.Collections.Immutable;
using MlNetIso.Geometry;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// The immutable geometry report of one embedding column, computed by <see cref="IsotropyEstimator.Fit"/> in a single
/// pass. Covariance-based scores use every valid row; the point-based measures that need pairs or neighbours
/// (<see cref="PartitionIsotropy"/>, <see cref="MatrixEntropy"/>, <see cref="IntrinsicDimension"/>) use a seeded uniform
/// sample of <see cref="SampleCount"/> rows. Formulas: the project's algorithm specification, algorithms.md (§ numbers below).
/// </summary>
/// <remarks>
/// Write it with <see cref="ToJson"/> / <see cref="Save"/>, read it back with <see cref="FromJson"/> / <see cref="Load"/>;
/// after <c>mlContext.Model.Save</c> it is also stored inside the model zip and can be re-read with
/// <see cref="FromSavedModel(string)"/>.
/// </remarks>
public sealed partial class IsotropyReport
{
    internal IsotropyReport(
        string columnName,
        long count,
        long skippedRowCount,
        int dimension,
        int sampleCount,
        double isoScore,
        double participationRatio,
        double topDimensionVarianceShare,
        double averageCosineSimilarity,
        double cosineToMean,
        double partitionIsotropy,
        IsotropyEffectiveRank effectiveRank,
        double matrixEntropy,
        double intrinsicDimension,
        IEnumerable<double> eigenvalues,
        IEnumerable<RogueDimension> rogueDimensions,
        IsotropyPostProcessing postProcessing,
        int outputDimension)
    {
        ColumnName = columnName;
        Count = count;
        SkippedRowCount = skippedRowCount;
        Dimension = dimension;
        SampleCount = sampleCount;
        IsoScore = isoScore;
        ParticipationRatio = participationRatio;
        TopDimensionVarianceShare = topDimensionVarianceShare;
        AverageCosineSimilarity = averageCosineSimilarity;
        CosineToMean = cosineToMean;
        PartitionIsotropy = partitionIsotropy;
        EffectiveRank = effectiveRank;
        MatrixEntropy = matrixEntropy;
        IntrinsicDimension = intrinsicDimension;
        Eigenvalues = [.. eigenvalues];
        RogueDimensions = [.. rogueDimensions];
        PostProcessing = postProcessing;
        OutputDimension = outputDimension;
    }

    /// <summary>The measured input column.</summary>
    public string ColumnName { get; }

    /// <summary>Number of rows measured (valid rows; skipped rows are not included).</summary>
    public long Count { get; }

    /// <summary>Rows left out because they held NaN or ±Infinity (only with <see cref="InvalidValueHandling.Skip"/>).</summary>
    public long SkippedRowCount { get; }

    /// <summary>The vector length d of the column.</summary>
    public int Dimension { get; }

    /// <summary>Rows in the seeded reservoir sample used by the point-based measures (min(Count, SampleSize)).</summary>
    public int SampleCount { get; }

    /// <summary>
    /// IsoScore (Rudman et al., Findings ACL 2022; §2): <c>(PR − 1)/(d − 1)</c> ∈ [0, 1], 1 when variance is equal in
    /// all d directions, 0 when it lies on one axis (and 0 for zero variance).
    /// </summary>
    public double IsoScore { get; }

    /// <summary>Participation ratio <c>(tr C)²/‖C‖²_F</c> ∈ [1, d] (§2.2, §7.5): the number of directions "used".</summary>
    public double ParticipationRatio { get; }

    /// <summary>Share of total variance on the single coordinate with the largest variance, <c>max_k C_kk / tr C</c> (§7.8).</summary>
    public double TopDimensionVarianceShare { get; }

    /// <summary>Exact average pairwise cosine similarity over all rows, <c>(‖Σ x̂_i‖² − m)/(m(m − 1))</c> (§7.1).</summary>
    public double AverageCosineSimilarity { get; }

    /// <summary>Average cosine similarity of each row to the column mean, <c>(1/m) Σ cos(x_i, μ)</c> (§7.1).</summary>
    public double CosineToMean { get; }

    /// <summary>
    /// Partition-function isotropy I(W) (Mu &amp; Viswanath 2018; §7.2) on the sample: <c>min_k Z(u_k)/max_k Z(u_k)</c> over
    /// the eigenvectors u_k of WᵀW, <c>Z(c) = Σ_w exp(cᵀv_w)</c>; ∈ (0, 1], 1 = isotropic.
    /// </summary>
    public double PartitionIsotropy { get; }

    /// <summary>Effective rank, in its two variants (singular-value and covariance), §7.5.</summary>
    public IsotropyEffectiveRank EffectiveRank { get; }

    /// <summary>
    /// Matrix (von Neumann) entropy of the sample as in Diff-eRank (§6.1): centre, L2-normalise rows,
    /// <c>Σ = ZᵀZ/N</c>, <c>H = −Σ λ log λ</c> of <c>Σ/tr Σ</c>, in nats.
    /// </summary>
    public double MatrixEntropy { get; }

    /// <summary>TwoNN intrinsic dimension (Facco et al. 2017, as in scikit-dimension; §7.6) of the sample.</summary>
    public double IntrinsicDimension { get; }

    /// <summary>The covariance spectrum λ₁ ≥ … ≥ λ_d ≥ 0 (ddof 1), so any spectral measure can be recomputed.</summary>
    public ImmutableArray<double> Eigenvalues { get; }

    /// <summary>The top-k rogue dimensions by cosine contribution, largest first (§7.7).</summary>
    public ImmutableArray<RogueDimension> RogueDimensions { get; }

    /// <summary>The output post-processing fitted together with this report.</summary>
    public IsotropyPostProcessing PostProcessing { get; }

    /// <summary>The length d' of the output vector column.</summary>
    public int OutputDimension { get; }
}
