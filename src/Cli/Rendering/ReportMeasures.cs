using System.Globalization;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Cli.Rendering;

/// <summary>
/// The measures of the geometry report, in order, each with a plain-language reading of its value — the one place a
/// new measure is added to the CLI's tables, readings and comparison plots. The bands of the readings are rules of
/// thumb for sentence and word embeddings, not thresholds from the papers; docs/cli.md lists them.
/// </summary>
internal static class ReportMeasures
{
    /// <summary>IsoScores measured with this tool, quoted in the IsoScore reading for scale.</summary>
    public const string IsoScoreScale =
        "for scale, measured with this tool: on the bundled sentences the demo encoder gives 0.04 and all-MiniLM-L6-v2 0.28; word2vec GoogleNews word vectors give 0.61";

    /// <summary>Every measure, in table order.</summary>
    public static IReadOnlyList<ReportMeasure> All { get; } =
    [
        new("rows", "Rows", MeasureUnit.Count, "valid rows measured", r => r.Count, Compared: false),
        new("dimension", "Dimension", MeasureUnit.Count, "vector length d", r => r.Dimension, Compared: false),
        new("isoscore", "IsoScore", MeasureUnit.Score, "(PR − 1)/(d − 1): 1 = variance equal in all d directions, 0 = on one axis",
            r => r.IsoScore,
            r => I($"variance in about {Math.Max(1, Math.Round(r.ParticipationRatio)):0} of {r.Dimension} directions — {IsoScoreBand(r.IsoScore)}")),
        new("participation-ratio", "Participation ratio", MeasureUnit.Directions, "(tr C)²/‖C‖²_F: the number of directions the variance uses",
            r => r.ParticipationRatio,
            r => I($"about {Math.Max(1, Math.Round(r.ParticipationRatio)):0} of {r.Dimension} directions carry the variance (an even spread uses all {r.Dimension})")),
        new("average-cosine", "Average cosine similarity", MeasureUnit.Cosine, "exact mean of cos(xᵢ, xⱼ) over all pairs",
            r => r.AverageCosineSimilarity, r => CosineBand(r.AverageCosineSimilarity)),
        new("cosine-to-mean", "Cosine to mean", MeasureUnit.Cosine, "mean of cos(xᵢ, μ): how much the vectors share one direction",
            r => r.CosineToMean, r => r.CosineToMean switch
            {
                >= 0.5 => "one common direction dominates every vector",
                >= 0.2 => "the vectors share a noticeable common direction",
                _ => "little common direction, as in centred data",
            }),
        new("partition-isotropy", "Partition isotropy I(W)", MeasureUnit.Score, "min Z(u)/max Z(u) over eigenvectors u (Mu & Viswanath; sample): 1 = isotropic",
            r => r.PartitionIsotropy, r => r.PartitionIsotropy switch
            {
                >= 0.8 => "close to isotropic by the partition function",
                >= 0.3 => "some directions are clearly preferred",
                _ => "a few directions dominate",
            }),
        new("effective-rank-singular", "Effective rank (singular)", MeasureUnit.Directions, "exp(entropy of σ/Σσ) (Roy & Vetterli)",
            r => r.EffectiveRank.Singular,
            r => I($"{r.EffectiveRank.Singular:0} of {r.Dimension} dimensions ({r.EffectiveRank.Singular / r.Dimension:P0}) by the spread of the singular values")),
        new("effective-rank-covariance", "Effective rank (covariance)", MeasureUnit.Directions, "exp(entropy of λ/Σλ) (the Diff-eRank variant)",
            r => r.EffectiveRank.Covariance,
            r => I($"{r.EffectiveRank.Covariance:0} of {r.Dimension} dimensions ({r.EffectiveRank.Covariance / r.Dimension:P0}) by the spread of the variance")),
        new("matrix-entropy", "Matrix entropy", MeasureUnit.Nats, "von Neumann entropy −Σ λ log λ of the normalised covariance (sample), nats",
            r => r.MatrixEntropy,
            r => I($"{r.MatrixEntropy:0.00} of at most ln {r.Dimension} = {Math.Log(r.Dimension):0.00} nats ({r.MatrixEntropy / Math.Log(Math.Max(2, r.Dimension)):P0} of the maximum)")),
        new("twonn", "TwoNN intrinsic dimension", MeasureUnit.Directions, "from nearest-neighbour distance ratios (Facco et al.; sample)",
            r => r.IntrinsicDimension,
            r => I($"the points lie near a surface of about {r.IntrinsicDimension:0} dimensions inside the {r.Dimension}-dimensional space")),
        new("top-dimension-share", "Top-dimension variance share", MeasureUnit.Share, "max_k Var_k / Σ Var: the largest single coordinate's share",
            r => r.TopDimensionVarianceShare,
            r => I($"{ReportMeasure.Format(r.TopDimensionVarianceShare, MeasureUnit.Share)} of the variance on one coordinate; an even spread gives {ReportMeasure.Format(1.0 / r.Dimension, MeasureUnit.Share)}") +
                 (r.TopDimensionVarianceShare > 10.0 / r.Dimension ? " — one coordinate dominates" : "")),
        new("sample", "Sample size", MeasureUnit.Count, "rows in the seeded sample of the sampled measures", r => r.SampleCount, Compared: false),
        new("skipped", "Skipped rows", MeasureUnit.Count, "rows with NaN or ±∞ left out", r => r.SkippedRowCount, Compared: false),
    ];

    /// <summary>The measure called <paramref name="key"/>.</summary>
    public static ReportMeasure Get(string key) => All.Single(m => m.Key == key);

    /// <summary>The headline reading: "IsoScore 0.04: variance in about 6 of 128 directions — strongly anisotropic".</summary>
    public static string Headline(IsotropyReport r)
    {
        var iso = Get("isoscore");
        return $"IsoScore {r.IsoScore.ToString("0.00", CultureInfo.InvariantCulture)}: {iso.Read(r)}";
    }

    /// <summary>The verbal band of an IsoScore.</summary>
    public static string IsoScoreBand(double isoScore) => isoScore switch
    {
        < 0.1 => "strongly anisotropic",
        < 0.3 => "anisotropic",
        < 0.6 => "moderately isotropic",
        _ => "close to isotropic",
    };

    private static string CosineBand(double cosine) => cosine switch
    {
        >= 0.5 => "random pairs point in nearly the same direction: the vectors fill a narrow cone",
        >= 0.2 => "random pairs share a common direction: a wide cone",
        > -0.2 => "random pairs are close to orthogonal, as in an isotropic cloud",
        _ => "random pairs point away from each other on average",
    };

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
