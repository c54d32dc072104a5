using MlNetIso.Benchmarks.Study;

namespace MlNetIso.Benchmarks.Tests;

public class ClusteringAgreementTests
{
    [Fact]
    public void Hand_computed_example()
    {
        // Classes 000111, clusters 001122. H(C) = ln 2, H(K) = ln 3. Joint cells (0,a) = 2/6, (0,b) = 1/6, (1,b) = 1/6,
        // (1,c) = 2/6; I = 2·(1/3)·ln((1/3)/((1/2)(1/3))) + 2·(1/6)·ln((1/6)/((1/2)(1/3))) = (2/3)·ln 2.
        // h = I/H(C) = 2/3, c = I/H(K) = (2/3)·ln2/ln3 = 0.420620, V = NMI = 2I/(H(C)+H(K)) = (4/3)·ln 2/ln 6 = 0.515804.
        var s = ClusteringAgreement.Measure([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]);
        Assert.Equal(2.0 / 3, s.Homogeneity, 9);
        Assert.Equal(2.0 / 3 * Math.Log(2) / Math.Log(3), s.Completeness, 9);
        Assert.Equal(4.0 / 3 * Math.Log(2) / Math.Log(6), s.VMeasure, 9);
        Assert.Equal(s.VMeasure, s.NormalizedMutualInformation, 12);
        Assert.Equal(0.515804, s.NormalizedMutualInformation, 6);
    }

    [Fact]
    public void Renamed_clusters_agree_perfectly_and_independent_ones_not_at_all()
    {
        var perfect = ClusteringAgreement.Measure([0, 0, 1, 1, 2, 2], [7, 7, 3, 3, 5, 5]);
        Assert.Equal(1.0, perfect.NormalizedMutualInformation, 12);
        Assert.Equal(1.0, perfect.VMeasure, 12);
        // Every cluster holds the two classes in equal shares: I(C;K) = 0.
        var independent = ClusteringAgreement.Measure([0, 1, 0, 1], [0, 0, 1, 1]);
        Assert.Equal(0.0, independent.NormalizedMutualInformation, 12);
    }

    [Fact]
    public void Mismatched_or_empty_labels_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ClusteringAgreement.Measure([0, 1], [0]));
        Assert.Throws<ArgumentException>(() => ClusteringAgreement.Measure([], []));
    }
}
