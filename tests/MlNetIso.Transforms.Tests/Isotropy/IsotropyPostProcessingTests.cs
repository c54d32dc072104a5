using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Geometry;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>The math of each output post-processing, checked against an independent two-pass reference.</summary>
public sealed class IsotropyPostProcessingTests
{
    private const int D = 6;
    private static readonly float[][] Rows = IsotropyTestData.Correlated(400, D);

    private static (float[][] Output, IsotropyTransformer Model, IDataView View) Apply(IsotropyOptions options)
    {
        var ml = new MLContext(0);
        options.OutputColumnName ??= "Out";
        var model = ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, options).Fit(IsotropyTestData.ToDataView(ml, Rows));
        var view = model.Transform(IsotropyTestData.ToDataView(ml, Rows));
        return (IsotropyTestData.ReadColumn(view, options.OutputColumnName), model, view);
    }

    [Fact]
    public void None_PassesTheVectorsThrough()
    {
        var (output, _, view) = Apply(new IsotropyOptions());
        Assert.Equal(Rows, output);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, D), view.Schema["Out"].Type);
        // The input column stays available next to the output.
        Assert.Equal(Rows, IsotropyTestData.ReadColumn(view, IsotropyTestData.Column));
    }

    [Fact]
    public void Center_GivesZeroMean_AndSubtractsTheColumnMean()
    {
        var (output, _, _) = Apply(new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Center });
        var mean = IsotropyTestData.Mean(Rows);
        foreach (var m in IsotropyTestData.Mean(output))
            Assert.InRange(m, -1e-4, 1e-4);
        for (int i = 0; i < Rows.Length; i++)
            for (int j = 0; j < D; j++)
                Assert.Equal(Rows[i][j] - mean[j], output[i][j], 1e-4);
    }

    [Fact]
    public void Whiten_AllComponents_WithoutNormalisation_GivesIdentityCovariance()
    {
        var (output, _, _) = Apply(new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Whiten, WhitenNormalize = false });
        AssertIdentity(IsotropyTestData.Covariance(output), D);
        foreach (var m in IsotropyTestData.Mean(output))
            Assert.InRange(m, -1e-4, 1e-4);
    }

    [Fact]
    public void Whiten_TopK_KeepsKWhitenedComponents()
    {
        var (output, model, view) = Apply(new IsotropyOptions
        {
            PostProcessing = IsotropyPostProcessing.Whiten, WhitenComponents = 3, WhitenNormalize = false,
        });
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), view.Schema["Out"].Type);
        Assert.Equal(3, model.Report.OutputDimension);
        AssertIdentity(IsotropyTestData.Covariance(output), 3);

        // Component j is the projection on the j-th principal axis divided by its standard deviation.
        var eigen = SymmetricEigen.Decompose(IsotropyTestData.Covariance(Rows));
        var mean = IsotropyTestData.Mean(Rows);
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double projection = 0;
                for (int a = 0; a < D; a++)
                    projection += (Rows[i][a] - mean[a]) * eigen.Eigenvectors[a, j];
                double expected = projection / Math.Sqrt(eigen.Eigenvalues[j]);
                Assert.Equal(Math.Abs(expected), Math.Abs(output[i][j]), 1e-3); // eigenvector sign is arbitrary
            }
        }
    }

    [Fact]
    public void Whiten_WithNormalisation_GivesUnitRows()
    {
        var (output, _, _) = Apply(new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Whiten });
        foreach (var row in output)
            Assert.Equal(1.0, Math.Sqrt(row.Sum(v => (double)v * v)), 5);
    }

    [Fact]
    public void AllButTheTop_RemovesExactlyTheTopDDirections()
    {
        var (output, _, _) = Apply(new IsotropyOptions { PostProcessing = IsotropyPostProcessing.AllButTheTop, AllButTheTopComponents = 2 });
        var eigen = SymmetricEigen.Decompose(IsotropyTestData.Covariance(Rows));
        var mean = IsotropyTestData.Mean(Rows);
        double[] removedEnergy = new double[D];
        for (int i = 0; i < Rows.Length; i++)
        {
            // y = (x − μ) − Σ_{t<2} u_t u_tᵀ(x − μ)
            var centred = Enumerable.Range(0, D).Select(a => Rows[i][a] - mean[a]).ToArray();
            var expected = (double[])centred.Clone();
            for (int t = 0; t < 2; t++)
            {
                double p = Enumerable.Range(0, D).Sum(a => centred[a] * eigen.Eigenvectors[a, t]);
                for (int a = 0; a < D; a++)
                    expected[a] -= p * eigen.Eigenvectors[a, t];
            }
            for (int a = 0; a < D; a++)
                Assert.Equal(expected[a], output[i][a], 1e-3);
            for (int t = 0; t < D; t++)
            {
                double q = Enumerable.Range(0, D).Sum(a => output[i][a] * eigen.Eigenvectors[a, t]);
                removedEnergy[t] += q * q;
            }
        }
        Assert.True(removedEnergy[0] < 1e-6 * Rows.Length && removedEnergy[1] < 1e-6 * Rows.Length, "top-2 directions must be removed");
        Assert.True(removedEnergy[2] > 0.1 * Rows.Length, "the third direction must stay");
    }

    [Fact]
    public void AllButTheTop_DefaultsToOneComponentForSmallD()
    {
        Assert.Equal(1, IsotropyProjectionFitter.AllButTheTopCount(null, 6));
        Assert.Equal(8, IsotropyProjectionFitter.AllButTheTopCount(null, 768));
        Assert.Equal(3, IsotropyProjectionFitter.AllButTheTopCount(3, 768));

        var (output, _, _) = Apply(new IsotropyOptions { PostProcessing = IsotropyPostProcessing.AllButTheTop });
        var eigen = SymmetricEigen.Decompose(IsotropyTestData.Covariance(Rows));
        double first = output.Sum(r => Math.Pow(Enumerable.Range(0, D).Sum(a => r[a] * eigen.Eigenvectors[a, 0]), 2));
        double second = output.Sum(r => Math.Pow(Enumerable.Range(0, D).Sum(a => r[a] * eigen.Eigenvectors[a, 1]), 2));
        Assert.True(first < 1e-6 * Rows.Length, "top direction must be removed");
        Assert.True(second > 0.1 * Rows.Length, "second direction must stay with D = 1");
    }

    [Fact]
    public void ComponentCounts_LargerThanD_FailAtFit_NamingTheColumn()
    {
        var whiten = Assert.Throws<ArgumentException>(() => Apply(new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Whiten, WhitenComponents = D + 1 }));
        Assert.Contains("'Features'", whiten.Message);
        var abtt = Assert.Throws<ArgumentException>(() => Apply(new IsotropyOptions { PostProcessing = IsotropyPostProcessing.AllButTheTop, AllButTheTopComponents = D + 1 }));
        Assert.Contains("AllButTheTopComponents", abtt.Message);

        // With a known size the check comes before the pass: no row is read.
        var ml = new MLContext(0);
        var counting = new CountingDataView(IsotropyTestData.ToDataView(ml, Rows));
        Assert.Throws<ArgumentException>(() => ml.Transforms
            .MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Whiten, WhitenComponents = D + 1 })
            .Fit(counting));
        Assert.Equal(0, counting.CursorsOpened);

        // With an unknown size it comes right after the pass.
        var unknown = Assert.Throws<ArgumentException>(() => ml.Transforms
            .MeasureIsotropy(IsotropyTestData.Column, new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Whiten, WhitenComponents = D + 1 })
            .Fit(IsotropyTestData.ToDataView(ml, Rows, knownSize: false)));
        Assert.Contains("WhitenComponents", unknown.Message);
    }

    private static void AssertIdentity(double[,] covariance, int n)
    {
        Assert.Equal(n, covariance.GetLength(0));
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                Assert.InRange(covariance[a, b], (a == b ? 1 : 0) - 2e-3, (a == b ? 1 : 0) + 2e-3);
    }
}
