using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MlNetIso.Geometry;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// The immutable geometry report of one embedding column, computed by <see cref="IsotropyEstimator.Fit"/> in a single
/// pass. Covariance-based scores use every valid row; the point-based measures that need pairs or neighbours
/// (<see cref="PartitionIsotropy"/>, <see cref="MatrixEntropy"/>, <see cref="IntrinsicDimension"/>) use a seeded uniform
/// sample of <see cref="SampleCount"/> rows. The formulas and papers: docs/algorithms.md.
/// </summary>
/// <remarks>
/// <para>
/// Write it with <see cref="ToJson"/> / <see cref="Save"/>, read it back with <see cref="FromJson"/> / <see cref="Load"/>;
/// after <c>mlContext.Model.Save</c> it is also stored inside the model zip and can be re-read with
/// <see cref="FromSavedModel(string)"/>. The JSON is this type's properties in camelCase. The fields of JSON version 1
/// are required; a measure added later is not, and reads as NaN (not measured) from a file written before it existed.
/// </para>
/// <para>
/// Adding a measure: its formula in the geometry core (src/Geometry), a property here with a row in
/// <see cref="Measures"/>, and one line in <c>IsotropyReportBuilder</c> (docs/architecture.md, "Adding a measure").
/// </para>
/// </remarks>
public sealed partial class IsotropyReport
{
    [JsonConstructor]
    internal IsotropyReport()
    {
    }

    /// <summary>
    /// The scalar measures in the order reports show them, each with its name and a one-line meaning; renderers
    /// (the CLI's Markdown, HTML and console tables) list these rather than naming properties.
    /// </summary>
    public static IReadOnlyList<IsotropyMeasure> Measures { get; } =
    [
        new("Rows", "valid rows measured", r => r.Count, IsCount: true),
        new("Dimension", "vector length d", r => r.Dimension, IsCount: true),
        new("IsoScore", "(PR − 1)/(d − 1); 1 = isotropic, 0 = one direction", r => r.IsoScore),
        new("Participation ratio", "(tr C)²/‖C‖²_F: directions used", r => r.ParticipationRatio),
        new("Average cosine similarity", "exact mean over all pairs", r => r.AverageCosineSimilarity),
        new("Cosine to mean", "mean cos(x, μ)", r => r.CosineToMean),
        new("Partition isotropy I(W)", "min Z / max Z over eigenvectors (sample)", r => r.PartitionIsotropy),
        new("Effective rank (singular)", "Roy & Vetterli, p ∝ σ", r => r.EffectiveRank.Singular),
        new("Effective rank (covariance)", "Diff-eRank variant, p ∝ λ", r => r.EffectiveRank.Covariance),
        new("Matrix entropy", "von Neumann entropy in nats (sample)", r => r.MatrixEntropy),
        new("TwoNN intrinsic dimension", "Facco et al. (sample)", r => r.IntrinsicDimension),
        new("Top-dimension variance share", "max_k Var_k / Σ Var", r => r.TopDimensionVarianceShare),
        new("Sample size", "rows used by sampled measures", r => r.SampleCount, IsCount: true),
        new("Skipped rows", "rows with NaN/Inf (skip mode)", r => r.SkippedRowCount, IsCount: true),
    ];

    /// <summary>The measured input column.</summary>
    [JsonRequired]
    public string ColumnName { get; init; } = "";

    /// <summary>Number of rows measured (valid rows; skipped rows are not included).</summary>
    [JsonRequired]
    public long Count { get; init; }

    /// <summary>Rows left out because they held NaN or ±Infinity (only with <see cref="InvalidValueHandling.Skip"/>).</summary>
    [JsonRequired]
    public long SkippedRowCount { get; init; }

    /// <summary>The vector length d of the column.</summary>
    [JsonRequired]
    public int Dimension { get; init; }

    /// <summary>Rows in the seeded reservoir sample used by the point-based measures (min(Count, SampleSize)).</summary>
    [JsonRequired]
    public int SampleCount { get; init; }

    /// <summary>
    /// IsoScore (Rudman et al., Findings ACL 2022): <c>(PR − 1)/(d − 1)</c> ∈ [0, 1], 1 when variance is equal in all d
    /// directions, 0 when it lies on one axis (and 0 for zero variance). docs/algorithms.md, "IsoScore".
    /// </summary>
    [JsonRequired]
    public double IsoScore { get; init; } = double.NaN;

    /// <summary>Participation ratio <c>(tr C)²/‖C‖²_F</c> ∈ [1, d]: the number of directions "used" (docs/algorithms.md, "Spectrum measures").</summary>
    [JsonRequired]
    public double ParticipationRatio { get; init; } = double.NaN;

    /// <summary>Share of total variance on the single coordinate with the largest variance, <c>max_k C_kk / tr C</c> (docs/algorithms.md, "Spectrum measures").</summary>
    [JsonRequired]
    public double TopDimensionVarianceShare { get; init; } = double.NaN;

    /// <summary>Exact average pairwise cosine similarity over all rows, <c>(‖Σ x̂_i‖² − m)/(m(m − 1))</c> (docs/algorithms.md, "Cosine measures").</summary>
    [JsonRequired]
    public double AverageCosineSimilarity { get; init; } = double.NaN;

    /// <summary>Average cosine similarity of each row to the column mean, <c>(1/m) Σ cos(x_i, μ)</c> (docs/algorithms.md, "Cosine measures").</summary>
    [JsonRequired]
    public double CosineToMean { get; init; } = double.NaN;

    /// <summary>
    /// Partition-function isotropy I(W) (Mu, Bhat &amp; Viswanath 2018) on the sample: <c>min_k Z(u_k)/max_k Z(u_k)</c> over the
    /// eigenvectors u_k of WᵀW, <c>Z(c) = Σ_w exp(cᵀv_w)</c>; ∈ (0, 1], 1 = isotropic (docs/algorithms.md, "Partition isotropy").
    /// </summary>
    [JsonRequired]
    public double PartitionIsotropy { get; init; } = double.NaN;

    /// <summary>Effective rank, in its two variants (singular-value and covariance; docs/algorithms.md, "Spectrum measures").</summary>
    [JsonRequired]
    public IsotropyEffectiveRank EffectiveRank { get; init; } = new(double.NaN, double.NaN);

    /// <summary>
    /// Matrix (von Neumann) entropy of the sample as in Diff-eRank: centre, L2-normalise rows, <c>Σ = ZᵀZ/N</c>,
    /// <c>H = −Σ λ log λ</c> of <c>Σ/tr Σ</c>, in nats (docs/algorithms.md, "Spectrum measures").
    /// </summary>
    [JsonRequired]
    public double MatrixEntropy { get; init; } = double.NaN;

    /// <summary>TwoNN intrinsic dimension (Facco et al. 2017, as in scikit-dimension) of the sample (docs/algorithms.md, "TwoNN intrinsic dimension").</summary>
    [JsonRequired]
    public double IntrinsicDimension { get; init; } = double.NaN;

    /// <summary>The covariance spectrum λ₁ ≥ … ≥ λ_d ≥ 0 (ddof 1), so any spectral measure can be recomputed.</summary>
    [JsonRequired]
    public ImmutableArray<double> Eigenvalues { get; init; } = [];

    /// <summary>The top-k rogue dimensions by cosine contribution, largest first (docs/algorithms.md, "Cosine measures").</summary>
    [JsonRequired]
    public ImmutableArray<RogueDimension> RogueDimensions { get; init; } = [];

    /// <summary>The output post-processing fitted together with this report.</summary>
    [JsonRequired]
    public IsotropyPostProcessing PostProcessing { get; init; }

    /// <summary>The length d' of the output vector column.</summary>
    [JsonRequired]
    public int OutputDimension { get; init; }
}
