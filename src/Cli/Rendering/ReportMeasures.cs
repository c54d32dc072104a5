using System.Globalization;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Cli.Rendering;

/// <summary>
/// The measures of the geometry report as the CLI shows them: the library's one measure table
/// (<see cref="IsotropyReport.Measures"/>: name, meaning, value) in its order, each given a unit, a file-name key, and a
/// plain-language reading of its value. A measure the library adds appears here by itself (as a score, without a
/// reading) until it gets a row in <see cref="Presentation"/>. The bands of the readings are rules of thumb for
/// sentence and word embeddings, not thresholds from the papers; docs/cli.md lists them.
/// </summary>
internal static class ReportMeasures
{
    /// <summary>IsoScores measured with this tool, quoted in the IsoScore reading for scale.</summary>
    public const string IsoScoreScale =
        "for scale, measured with this tool: on the bundled sentences the demo encoder gives 0.04 and all-MiniLM-L6-v2 0.28; word2vec GoogleNews word vectors give 0.61";

    /// <summary>How the CLI shows each library measure, by its <see cref="IsotropyMeasure.Name"/>.</summary>
    internal static readonly IReadOnlyDictionary<string, (string Key, MeasureUnit Unit, Func<IsotropyReport, string>? Reading)> Presentation =
        new Dictionary<string, (string, MeasureUnit, Func<IsotropyReport, string>?)>(StringComparer.Ordinal)
        {
            ["Rows"] = ("rows", MeasureUnit.Count, null),
            ["Dimension"] = ("dimension", MeasureUnit.Count, null),
            ["IsoScore"] = ("isoscore", MeasureUnit.Score,
                r => I($"variance in about {Math.Max(1, Math.Round(r.ParticipationRatio)):0} of {r.Dimension} directions — {IsoScoreBand(r.IsoScore)}")),
            ["Participation ratio"] = ("participation-ratio", MeasureUnit.Directions,
                r => I($"about {Math.Max(1, Math.Round(r.ParticipationRatio)):0} of {r.Dimension} directions carry the variance (an even spread uses all {r.Dimension})")),
            ["Average cosine similarity"] = ("average-cosine", MeasureUnit.Cosine, r => CosineBand(r.AverageCosineSimilarity)),
            ["Cosine to mean"] = ("cosine-to-mean", MeasureUnit.Cosine, r => r.CosineToMean switch
            {
                >= 0.5 => "one common direction dominates every vector",
                >= 0.2 => "the vectors share a noticeable common direction",
                _ => "little common direction, as in centred data",
            }),
            ["Partition isotropy I(W)"] = ("partition-isotropy", MeasureUnit.Score, r => r.PartitionIsotropy switch
            {
                >= 0.8 => "close to isotropic by the partition function",
                >= 0.3 => "some directions are clearly preferred",
                _ => "a few directions dominate",
            }),
            ["Effective rank (singular)"] = ("effective-rank-singular", MeasureUnit.Directions,
                r => I($"{r.EffectiveRank.Singular:0} of {r.Dimension} dimensions ({r.EffectiveRank.Singular / r.Dimension:P0}) by the spread of the singular values")),
            ["Effective rank (covariance)"] = ("effective-rank-covariance", MeasureUnit.Directions,
                r => I($"{r.EffectiveRank.Covariance:0} of {r.Dimension} dimensions ({r.EffectiveRank.Covariance / r.Dimension:P0}) by the spread of the variance")),
            ["Matrix entropy"] = ("matrix-entropy", MeasureUnit.Nats,
                r => I($"{r.MatrixEntropy:0.00} of at most ln {r.Dimension} = {Math.Log(r.Dimension):0.00} nats ({r.MatrixEntropy / Math.Log(Math.Max(2, r.Dimension)):P0} of the maximum)")),
            ["TwoNN intrinsic dimension"] = ("twonn", MeasureUnit.Directions,
                r => I($"the points lie near a surface of about {r.IntrinsicDimension:0} dimensions inside the {r.Dimension}-dimensional space")),
            ["Top-dimension variance share"] = ("top-dimension-share", MeasureUnit.Share,
                r => I($"{ReportMeasure.Format(r.TopDimensionVarianceShare, MeasureUnit.Share)} of the variance on one coordinate; an even spread gives {ReportMeasure.Format(1.0 / r.Dimension, MeasureUnit.Share)}") +
                     (r.TopDimensionVarianceShare > 10.0 / r.Dimension ? " — one coordinate dominates" : "")),
            ["Sample size"] = ("sample", MeasureUnit.Count, null),
            ["Skipped rows"] = ("skipped", MeasureUnit.Count, null),
        };

    /// <summary>Every measure, in the library's order; counts are not compared in charts.</summary>
    public static IReadOnlyList<ReportMeasure> All { get; } = IsotropyReport.Measures.Select(m =>
        Presentation.TryGetValue(m.Name, out var p)
            ? new ReportMeasure(p.Key, m.Name, p.Unit, m.Meaning, m.Read, p.Reading, Compared: p.Unit != MeasureUnit.Count)
            : new ReportMeasure(Key(m.Name), m.Name, m.IsCount ? MeasureUnit.Count : MeasureUnit.Score, m.Meaning, m.Read, Compared: !m.IsCount))
        .ToList();

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

    private static string Key(string name) =>
        string.Join('-', name.ToLowerInvariant().Split(' ', '(', ')', '/', '*').Where(w => w.Length > 0));
}
