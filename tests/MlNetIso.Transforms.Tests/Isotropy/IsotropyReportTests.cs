using Microsoft.ML;
using MlNetIso.Geometry;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>The report of the transform equals the geometry core's numbers on the same data, and round-trips.</summary>
public sealed class IsotropyReportTests
{
    private static IsotropyReport Measure(float[][] rows, IsotropyOptions? options = null)
    {
        var ml = new MLContext(0);
        return ml.Transforms.MeasureIsotropy(IsotropyTestData.Column, options).Fit(IsotropyTestData.ToDataView(ml, rows)).Report;
    }

    [Fact]
    public void Report_EqualsGeometryCore_OnTheSameRows()
    {
        var rows = IsotropyTestData.Correlated(300, 8);
        var report = Measure(rows, new IsotropyOptions { SampleSize = 1000, RogueTopK = 3 });

        var accumulator = new CovarianceAccumulator(8);
        foreach (var row in rows)
            accumulator.Add(row);
        var covariance = accumulator.GetCovariance();
        var eigenvalues = SymmetricEigen.Eigenvalues(covariance);
        var cosine = new CosineAccumulator(8);
        foreach (var row in rows)
            cosine.Add(row);

        Assert.Equal(300, report.Count);
        Assert.Equal(8, report.Dimension);
        Assert.Equal(300, report.SampleCount);
        Assert.Equal(0, report.SkippedRowCount);
        Assert.Equal(CovarianceScores.IsoScore(covariance), report.IsoScore, 12);
        Assert.Equal(CovarianceScores.ParticipationRatio(covariance), report.ParticipationRatio, 10);
        Assert.Equal(CovarianceScores.TopDimensionVarianceShare(covariance), report.TopDimensionVarianceShare, 12);
        Assert.Equal(cosine.AverageCosine(), report.AverageCosineSimilarity, 12);
        Assert.Equal(CosineToMean.Compute(rows), report.CosineToMean, 10);
        Assert.Equal(PartitionIsotropy.Compute(rows), report.PartitionIsotropy, 9);
        Assert.Equal(SpectralMeasures.MatrixEntropy(rows), report.MatrixEntropy, 9);
        Assert.Equal(TwoNN.Estimate(rows), report.IntrinsicDimension, 9);
        Assert.Equal(SpectralMeasures.EffectiveRankCovariance(eigenvalues), report.EffectiveRank.Covariance, 9);
        Assert.Equal(SpectralMeasures.EffectiveRankSingular([.. eigenvalues.Select(Math.Sqrt)]), report.EffectiveRank.Singular, 9);
        Assert.NotEqual(report.EffectiveRank.Covariance, report.EffectiveRank.Singular, 3);
        Assert.Equal(eigenvalues.Length, report.Eigenvalues.Length);
        for (int i = 0; i < eigenvalues.Length; i++)
            Assert.Equal(eigenvalues[i], report.Eigenvalues[i], 9);
        Assert.True(report.Eigenvalues.Zip(report.Eigenvalues.Skip(1)).All(p => p.First >= p.Second), "eigenvalues must be descending");
        Assert.Equal(cosine.RogueDimensions(3).ToArray(), report.RogueDimensions.ToArray());
        Assert.Equal(IsotropyPostProcessing.None, report.PostProcessing);
        Assert.Equal(8, report.OutputDimension);
    }

    [Fact]
    public void EffectiveRanks_OfASingularCloud_IgnoreRoundingNoise()
    {
        // 64 rows in 512 dimensions: the covariance has rank 63; its other 449 eigenvalues are rounding noise of order
        // ε·λ_max, whose square roots used to add ~1e-6 to the singular effective rank. The reference takes the 63 non-zero
        // eigenvalues from the 64×64 Gram matrix of the centred rows, which has no such noise floor to speak of.
        const int m = 64, d = 512;
        var rows = IsotropyTestData.Gaussian(m, [.. Enumerable.Range(0, d).Select(j => 1.0 + j % 7)], seed: 5);
        var report = Measure(rows, new IsotropyOptions { SampleSize = m });

        var mean = IsotropyTestData.Mean(rows);
        var gram = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += (rows[a][j] - mean[j]) * (rows[b][j] - mean[j]);
                gram[a, b] = s / (m - 1);
            }
        var lambda = SymmetricEigen.Eigenvalues(gram).Take(m - 1).ToArray();
        double singular = Math.Exp(Entropy([.. lambda.Select(Math.Sqrt)])), covariance = Math.Exp(Entropy(lambda));

        Assert.True(Math.Abs(report.EffectiveRank.Singular - singular) < 1e-9 * singular,
            $"singular effective rank {report.EffectiveRank.Singular:R}, reference {singular:R}");
        Assert.True(Math.Abs(report.EffectiveRank.Covariance - covariance) < 1e-9 * covariance,
            $"covariance effective rank {report.EffectiveRank.Covariance:R}, reference {covariance:R}");
    }

    private static double Entropy(double[] weights)
    {
        double total = weights.Sum(), h = 0;
        foreach (double w in weights) h -= w / total * Math.Log(w / total);
        return h;
    }

    [Fact]
    public void IsoScore_MatchesAnIndependentTwoPassCovariance()
    {
        var rows = IsotropyTestData.Gaussian(500, [4.0, 2.0, 1.0, 0.5, 0.25]);
        var report = Measure(rows);
        var reference = IsotropyTestData.Covariance(rows);
        double trace = 0, frobenius = 0;
        for (int a = 0; a < 5; a++)
        {
            trace += reference[a, a];
            for (int b = 0; b < 5; b++)
                frobenius += reference[a, b] * reference[a, b];
        }
        Assert.Equal((trace * trace / frobenius - 1) / 4, report.IsoScore, 9);
    }

    [Fact]
    public void IsotropicCloud_ScoresNearOne_AndAxisCloud_ScoresByAxesUsed()
    {
        var isotropic = Measure(IsotropyTestData.Gaussian(3000, [1, 1, 1, 1], offset: 0), new IsotropyOptions { SampleSize = 200 });
        Assert.InRange(isotropic.IsoScore, 0.97, 1.0);

        // Two of four axes used uniformly: IsoScore → (k − 1)/(n − 1) = 1/3.
        var twoAxes = Measure(IsotropyTestData.Gaussian(3000, [1, 1, 0, 0], offset: 0), new IsotropyOptions { SampleSize = 200 });
        Assert.InRange(twoAxes.IsoScore, 0.30, 0.34);
    }

    [Fact]
    public void Sample_IsSeeded_AndCappedBySampleSize()
    {
        var rows = IsotropyTestData.Correlated(400, 5);
        var a = Measure(rows, new IsotropyOptions { SampleSize = 100, Seed = 7 });
        var b = Measure(rows, new IsotropyOptions { SampleSize = 100, Seed = 7 });
        var c = Measure(rows, new IsotropyOptions { SampleSize = 100, Seed = 8 });
        Assert.Equal(100, a.SampleCount);
        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.NotEqual(a.IntrinsicDimension, c.IntrinsicDimension);
        // Covariance-based scores use every row, whatever the sample.
        Assert.Equal(a.IsoScore, c.IsoScore);
        Assert.Equal(a.AverageCosineSimilarity, c.AverageCosineSimilarity);
    }

    [Fact]
    public void ParallelCovarianceKernel_GivesTheSameReport()
    {
        var rows = IsotropyTestData.Correlated(700, 40);
        var serial = Measure(rows, new IsotropyOptions { SampleSize = 100 });
        var parallel = Measure(rows, new IsotropyOptions { SampleSize = 100, MaxDegreeOfParallelism = 4 });
        Assert.Equal(serial.IsoScore, parallel.IsoScore, 12);
        Assert.Equal(serial.Eigenvalues.ToArray(), parallel.Eigenvalues.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a)));
        Assert.Contains("MaxDegreeOfParallelism", Assert.Throws<ArgumentException>(() =>
            new MLContext(0).Transforms.MeasureIsotropy("F", new IsotropyOptions { MaxDegreeOfParallelism = 0 })).Message);
    }

    [Fact]
    public void Json_RoundTrips_Exactly()
    {
        var report = Measure(IsotropyTestData.Correlated(120, 4), new IsotropyOptions { PostProcessing = IsotropyPostProcessing.Whiten, WhitenComponents = 2 });
        string json = report.ToJson();
        var back = IsotropyReport.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(report.IsoScore, back.IsoScore);
        Assert.Equal(report.EffectiveRank, back.EffectiveRank);
        Assert.Equal(report.Eigenvalues.ToArray(), back.Eigenvalues.ToArray());
        Assert.Equal(report.RogueDimensions.ToArray(), back.RogueDimensions.ToArray());
        Assert.Equal(IsotropyPostProcessing.Whiten, back.PostProcessing);
        Assert.Equal(2, back.OutputDimension);
        Assert.Contains("\"format\": \"mlnetiso.isotropy-report\"", json);
    }

    [Fact]
    public void File_SaveAndLoad_RoundTrips()
    {
        var report = Measure(IsotropyTestData.Correlated(60, 3));
        string path = Path.Combine(TestPaths.NewTempDir(), "report.json");
        report.Save(path);
        Assert.Equal(report.ToJson(), IsotropyReport.Load(path).ToJson());
    }

    [Fact]
    public void FromJson_RejectsOtherDocuments_WithClearMessages()
    {
        var json = Measure(IsotropyTestData.Correlated(60, 3)).ToJson();
        Assert.Throws<FormatException>(() => IsotropyReport.FromJson("{ not json"));
        var wrongFormat = Assert.Throws<FormatException>(() => IsotropyReport.FromJson(json.Replace("mlnetiso.isotropy-report", "other")));
        Assert.Contains("other", wrongFormat.Message);
        var wrongVersion = Assert.Throws<FormatException>(() => IsotropyReport.FromJson(json.Replace("\"version\": 1", "\"version\": 99")));
        Assert.Contains("99", wrongVersion.Message);
        Assert.Contains("isoScore", Assert.Throws<FormatException>(() => IsotropyReport.FromJson(json.Replace("\"isoScore\"", "\"renamed\""))).Message);
        var missingFile = Path.Combine(TestPaths.NewTempDir(), "absent.json");
        Assert.Contains("absent.json", Assert.Throws<FileNotFoundException>(() => IsotropyReport.Load(missingFile)).Message);
    }

    [Fact]
    public void Version1File_WrittenBeforeTheReportSerialisedItself_StillLoads()
    {
        // Fixtures/report-v1.json was written by the library at commit 57a143c (see Fixtures/README.md).
        var report = IsotropyReport.Load(Path.Combine(AppContext.BaseDirectory, "Isotropy", "Fixtures", "report-v1.json"));
        Assert.Equal("Features", report.ColumnName);
        Assert.Equal(7, report.Count);
        Assert.Equal(0, report.SkippedRowCount);
        Assert.Equal(4, report.Dimension);
        Assert.Equal(7, report.SampleCount);
        Assert.Equal(0.44222741113224745, report.IsoScore);
        Assert.Equal(2.3266822333967423, report.ParticipationRatio);
        Assert.Equal(0.49036608909729845, report.TopDimensionVarianceShare);
        Assert.Equal(-0.035780127426496645, report.AverageCosineSimilarity);
        Assert.Equal(0.3327204555501324, report.CosineToMean);
        Assert.Equal(0.28126227261626635, report.PartitionIsotropy);
        Assert.Equal(new IsotropyEffectiveRank(3.539361136293562, 2.7815572422209462), report.EffectiveRank);
        Assert.Equal(1.1280483977871596, report.MatrixEntropy);
        Assert.Equal(1.534005235617836, report.IntrinsicDimension);
        Assert.Equal([2.036241086410349, 0.9020287060631879, 0.41789637394235396, 0.10383383313707274], report.Eigenvalues.ToArray());
        Assert.Equal([2, 0, 1, 3], report.RogueDimensions.Select(d => d.Dimension));
        Assert.Equal(new RogueDimension(2, 0.03311002134580014, -0.9253746067231952), report.RogueDimensions[0]);
        Assert.Equal(IsotropyPostProcessing.None, report.PostProcessing);
        Assert.Equal(4, report.OutputDimension);
    }

    [Fact]
    public void Json_FromANewerWriter_IgnoresMeasuresItDoesNotKnow()
    {
        var report = Measure(IsotropyTestData.Correlated(60, 3));
        var newer = report.ToJson().Replace("\"outputDimension\"", "\"someLaterMeasure\": 0.5,\n  \"outputDimension\"");
        Assert.Contains("someLaterMeasure", newer);
        Assert.Equal(report.ToJson(), IsotropyReport.FromJson(newer).ToJson());
    }

    [Fact]
    public void MeasureTable_ReadsEveryScalarOfTheReport()
    {
        // A report whose scalars are all different: every one must be read by some row of the table, so a measure
        // added to the report without a table row (and so missing from every rendered report) fails here.
        var report = new IsotropyReport
        {
            ColumnName = "x", Count = 101, SkippedRowCount = 102, Dimension = 103, SampleCount = 104, IsoScore = 0.105,
            ParticipationRatio = 1.06, TopDimensionVarianceShare = 0.107, AverageCosineSimilarity = 0.108, CosineToMean = 0.109,
            PartitionIsotropy = 0.110, EffectiveRank = new(1.11, 1.12), MatrixEntropy = 1.13, IntrinsicDimension = 1.14,
        };
        var shown = IsotropyReport.Measures.Select(m => m.Read(report)).ToHashSet();
        var scalars = typeof(IsotropyReport).GetProperties()
            .Where(p => p.PropertyType == typeof(double) || p.PropertyType == typeof(long) || (p.PropertyType == typeof(int) && p.Name != nameof(IsotropyReport.OutputDimension)))
            .Select(p => (p.Name, Value: Convert.ToDouble(p.GetValue(report))))
            .Append((Name: "EffectiveRank.Singular", Value: report.EffectiveRank.Singular))
            .Append((Name: "EffectiveRank.Covariance", Value: report.EffectiveRank.Covariance))
            .ToArray();
        Assert.Equal(14, scalars.Length);
        Assert.All(scalars, s => Assert.True(shown.Contains(s.Value), $"{s.Name} is not in IsotropyReport.Measures"));
        Assert.Equal(IsotropyReport.Measures.Count, IsotropyReport.Measures.Select(m => m.Name).Distinct().Count());
    }
}
