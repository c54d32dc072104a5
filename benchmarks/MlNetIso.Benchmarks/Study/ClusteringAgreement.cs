namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Agreement between a clustering K and the true classes C, from their contingency table (natural logarithms):
/// homogeneity h = 1 − H(C|K)/H(C), completeness c = 1 − H(K|C)/H(K) and the V-measure V = 2hc/(h + c)
/// (Rosenberg &amp; Hirschberg, EMNLP 2007), and the normalised mutual information with the arithmetic-mean
/// normaliser NMI = I(C;K) / ((H(C) + H(K))/2), which equals V (scikit-learn's default NMI).
/// Label values are arbitrary integers; renaming them changes nothing.
/// </summary>
internal static class ClusteringAgreement
{
    /// <summary>The agreement scores of one clustering.</summary>
    /// <param name="Homogeneity">h: 1 when every cluster holds one class.</param>
    /// <param name="Completeness">c: 1 when every class is in one cluster.</param>
    /// <param name="VMeasure">V = 2hc/(h + c).</param>
    /// <param name="NormalizedMutualInformation">I(C;K) / mean(H(C), H(K)).</param>
    internal sealed record Scores(double Homogeneity, double Completeness, double VMeasure, double NormalizedMutualInformation);

    /// <summary>Scores of clustering <paramref name="clusters"/> against classes <paramref name="classes"/>.</summary>
    public static Scores Measure(IReadOnlyList<int> classes, IReadOnlyList<int> clusters)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(clusters);
        if (classes.Count != clusters.Count)
            throw new ArgumentException($"{classes.Count} class labels but {clusters.Count} cluster labels.", nameof(clusters));
        if (classes.Count == 0) throw new ArgumentException("No items.", nameof(classes));
        var n = (double)classes.Count;
        var joint = new Dictionary<(int, int), int>();
        var classCounts = new Dictionary<int, int>();
        var clusterCounts = new Dictionary<int, int>();
        for (var i = 0; i < classes.Count; i++)
        {
            joint[(classes[i], clusters[i])] = joint.GetValueOrDefault((classes[i], clusters[i])) + 1;
            classCounts[classes[i]] = classCounts.GetValueOrDefault(classes[i]) + 1;
            clusterCounts[clusters[i]] = clusterCounts.GetValueOrDefault(clusters[i]) + 1;
        }
        var hC = Entropy(classCounts.Values, n);
        var hK = Entropy(clusterCounts.Values, n);
        double mutual = 0;
        foreach (var ((c, k), count) in joint)
            mutual += count / n * Math.Log(count * n / ((double)classCounts[c] * clusterCounts[k]));
        mutual = Math.Max(mutual, 0);
        // Conventions of Rosenberg & Hirschberg / scikit-learn: h = 1 when H(C) = 0, c = 1 when H(K) = 0.
        var homogeneity = hC == 0 ? 1.0 : mutual / hC;
        var completeness = hK == 0 ? 1.0 : mutual / hK;
        var v = homogeneity + completeness == 0 ? 0.0 : 2 * homogeneity * completeness / (homogeneity + completeness);
        var nmi = hC == 0 && hK == 0 ? 1.0 : hC + hK == 0 ? 0.0 : mutual / ((hC + hK) / 2);
        return new Scores(homogeneity, completeness, v, nmi);
    }

    private static double Entropy(IEnumerable<int> counts, double n) =>
        -counts.Where(c => c > 0).Sum(c => c / n * Math.Log(c / n));
}
