namespace MlNetIso.Geometry.Tests;

public class PartitionIsotropyTests
{
    [Fact]
    public void PartitionIsotropy_BothEigenvectorSigns_EqualsTheDirectRatio()
    {
        var rows = GeometryTestData.GaussianRows(200, 6, seed: 31, scales: [2, 1, 1, 0.5, 0.5, 0.2], offset: 0.3);
        var w = new double[6, 6];
        foreach (var r in rows)
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++) w[i, j] += (double)r[i] * r[j];
        var u = SymmetricEigen.Decompose(w).Eigenvectors;
        var z = new List<double>();
        for (int k = 0; k < 6; k++)
            foreach (int sign in new[] { 1, -1 })
                z.Add(rows.Sum(r => Math.Exp(sign * Enumerable.Range(0, 6).Sum(j => u[j, k] * r[j]))));
        Assert.Equal(z.Min() / z.Max(), PartitionIsotropy.Compute(rows), 10);
    }

    [Fact]
    public void PartitionIsotropy_IsotropicAndShiftedClouds_ScoreNearOneAndNearZero()
    {
        var iso = GeometryTestData.GaussianRows(20_000, 5, seed: 32);
        Assert.True(PartitionIsotropy.Compute(iso) > 0.9);
        var shifted = GeometryTestData.GaussianRows(2_000, 5, seed: 33, offset: 3);
        Assert.True(PartitionIsotropy.Compute(shifted) < 1e-3);
    }

    [Fact]
    public void LargeNorms_DoNotOverflow()
    {
        var far = GeometryTestData.GaussianRows(500, 4, seed: 34, offset: 100);
        double i = PartitionIsotropy.Compute(far);
        Assert.True(double.IsFinite(i) && i >= 0 && i < 1e-50);
    }
}
