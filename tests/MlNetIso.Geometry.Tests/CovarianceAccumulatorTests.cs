using FsCheck;
using FsCheck.Fluent;

namespace MlNetIso.Geometry.Tests;

public class CovarianceAccumulatorTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(5, 2)]
    [InlineData(7, 300)]
    [InlineData(13, 600)]
    [InlineData(25, 1000)]
    [InlineData(33, 257)]
    public void Covariance_MatchesTwoPassReference(int d, int m)
    {
        var rows = GeometryTestData.GaussianRows(m, d, seed: d * 31 + m, offset: 3.0);
        var acc = new CovarianceAccumulator(d);
        foreach (var r in rows) acc.Add(r);
        Assert.Equal(m, acc.Count);
        var expected = GeometryTestData.NaiveCovariance(rows);
        Assert.True(GeometryTestData.MaxAbsDiff(expected, acc.GetCovariance()) < 1e-10);
        var mean = acc.GetMean();
        for (int j = 0; j < d; j++)
            Assert.Equal(rows.Average(r => (double)r[j]), mean[j], 10);
    }

    [Fact]
    public void LargeOffset_DoesNotLosePrecision()
    {
        // Values around 1e6 with unit spread: naive Σx² − n·μ² would lose ~12 digits; centred blocks keep them.
        var rows = GeometryTestData.GaussianRows(2000, 6, seed: 5, offset: 1e6);
        var acc = new CovarianceAccumulator(6);
        foreach (var r in rows) acc.Add(r);
        Assert.True(GeometryTestData.MaxAbsDiff(GeometryTestData.NaiveCovariance(rows), acc.GetCovariance()) < 1e-6);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 255)]
    [InlineData(97, 301)]
    [InlineData(256, 257)]
    [InlineData(511, 1)]
    public void Merge_EqualsAccumulatingTheUnion(int mA, int mB)
    {
        const int d = 19;
        var a = GeometryTestData.GaussianRows(mA, d, seed: 1, offset: -2);
        var b = GeometryTestData.GaussianRows(mB, d, seed: 2, offset: 5);
        var accA = new CovarianceAccumulator(d);
        var accB = new CovarianceAccumulator(d);
        var all = new CovarianceAccumulator(d);
        foreach (var r in a) { accA.Add(r); all.Add(r); }
        foreach (var r in b) { accB.Add(r); all.Add(r); }
        accA.Merge(accB);
        Assert.Equal(all.Count, accA.Count);
        var ma = accA.GetMean();
        var mall = all.GetMean();
        for (int j = 0; j < d; j++) Assert.Equal(mall[j], ma[j], 12);
        if (mA + mB >= 2)
            Assert.True(GeometryTestData.MaxAbsDiff(all.GetCovariance(), accA.GetCovariance()) < 1e-10);
        Assert.Equal(mB, accB.Count);
    }

    [Fact]
    public void PropertyAnyThreeWaySplit_MergesToTheUnion()
    {
        var gen = Gen.Choose(1, 40).Zip(Gen.Choose(0, 600)).Zip(Gen.Choose(0, 600).Zip(Gen.Choose(2, 600)));
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var ((d, m1), (m2, m3)) = t;
            var rows = GeometryTestData.GaussianRows(m1 + m2 + m3, d, seed: d * 7919 + m1 * 31 + m2 * 17 + m3, offset: 4);
            var parts = new[] { new CovarianceAccumulator(d), new CovarianceAccumulator(d), new CovarianceAccumulator(d) };
            for (int i = 0; i < rows.Length; i++) parts[i < m1 ? 0 : i < m1 + m2 ? 1 : 2].Add(rows[i]);
            parts[1].Merge(parts[2]);
            parts[0].Merge(parts[1]);
            return parts[0].Count == rows.Length
                && GeometryTestData.MaxAbsDiff(GeometryTestData.NaiveCovariance(rows), parts[0].GetCovariance()) < 1e-10;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    [Fact]
    public void AddRows_BlocksOfOddSizes_EqualRowByRowPath()
    {
        const int d = 23;
        var rows = GeometryTestData.GaussianRows(1000, d, seed: 9, offset: 1);
        var scalar = new CovarianceAccumulator(d);
        foreach (var r in rows) scalar.Add(r.Select(x => (double)x).ToArray());
        var blocked = new CovarianceAccumulator(d);
        int[] sizes = [1, 7, 255, 3, 257, 0, 131, 346];
        int start = 0;
        foreach (int s in sizes)
        {
            var flat = rows.Skip(start).Take(s).SelectMany(r => r).ToArray();
            blocked.AddRows(flat, s);
            start += s;
        }
        Assert.Equal(rows.Length, start);
        Assert.True(GeometryTestData.MaxAbsDiff(scalar.GetCovariance(), blocked.GetCovariance()) < 1e-10);
        Assert.True(GeometryTestData.MaxAbsDiff(GeometryTestData.NaiveCovariance(rows), blocked.GetCovariance()) < 1e-10);
    }

    [Theory]
    [InlineData(2, 600)]     // fewer rows than P blocks: one partition works
    [InlineData(2, 1300)]    // two full rounds of blocks plus a partial block
    [InlineData(3, 2000)]
    [InlineData(4, 777)]
    public void ParallelPartitions_MergeToTheUnion(int partitions, int m)
    {
        const int d = 50;
        var rows = GeometryTestData.GaussianRows(m, d, seed: 4, offset: 7);
        var one = new CovarianceAccumulator(d);
        var many = new CovarianceAccumulator(d, maxDegreeOfParallelism: partitions);
        var again = new CovarianceAccumulator(d, maxDegreeOfParallelism: partitions);
        foreach (var r in rows) { one.Add(r); many.Add(r); again.Add(r); }
        Assert.Equal(m, many.Count);
        var reference = GeometryTestData.NaiveCovariance(rows);
        Assert.True(GeometryTestData.MaxAbsDiff(reference, many.GetCovariance()) < 1e-12);
        Assert.True(GeometryTestData.MaxAbsDiff(one.GetCovariance(), many.GetCovariance()) < 1e-13);
        var mean = many.GetMean();
        var meanOne = one.GetMean();
        for (int j = 0; j < d; j++) Assert.Equal(meanOne[j], mean[j], 13);
        // Deterministic for a given P: the same rows give the same bits.
        Assert.Equal(Flatten(many.GetCoMoment()), Flatten(again.GetCoMoment()));
    }

    [Fact]
    public void ParallelPartitions_KeepAccumulatingAfterARead()
    {
        const int d = 21;
        var rows = GeometryTestData.GaussianRows(1500, d, seed: 8, offset: -3);
        var acc = new CovarianceAccumulator(d, maxDegreeOfParallelism: 2);
        for (int i = 0; i < rows.Length; i++)
        {
            acc.Add(rows[i]);
            if (i == 300 || i == 800)
            {
                acc.GetMean(); // a read folds the partial blocks and merges the partitions; accumulation goes on after it
                Assert.Equal(i + 1, acc.Count);
            }
        }
        Assert.True(GeometryTestData.MaxAbsDiff(GeometryTestData.NaiveCovariance(rows), acc.GetCovariance()) < 1e-12);
        var other = new CovarianceAccumulator(d, maxDegreeOfParallelism: 3);
        foreach (var r in rows) other.Add(r);
        acc.Merge(other);
        Assert.Equal(3000, acc.Count);
        Assert.True(GeometryTestData.MaxAbsDiff(
            GeometryTestData.NaiveCovariance(rows.Concat(rows).ToArray()), acc.GetCovariance()) < 1e-12);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(9, 2)]
    [InlineData(37, 255)]
    [InlineData(37, 1000)]
    [InlineData(64, 513)]
    public void EveryKernelPath_GivesTheSameBits(int d, int m)
    {
        var rows = GeometryTestData.GaussianRows(m, d, seed: d + m, offset: 2.5);
        var paths = Enum.GetValues<SymmetricRankKUpdate.KernelPath>().Where(SymmetricRankKUpdate.IsSupported).ToArray();
        var results = paths.Select(path =>
        {
            var acc = new CovarianceAccumulator(d, 1, path);
            foreach (var r in rows) acc.Add(r);
            return (Mean: acc.GetMean(), CoMoment: Flatten(acc.GetCoMoment()));
        }).ToArray();
        foreach (var r in results.Skip(1))
        {
            Assert.Equal(results[0].Mean, r.Mean);
            Assert.Equal(results[0].CoMoment, r.CoMoment);
        }
        if (m >= 2)
            Assert.True(GeometryTestData.MaxAbsDiff(GeometryTestData.NaiveCovariance(rows),
                CovarianceAccumulator.FromState(new CovarianceAccumulatorState(d, m, results[0].Mean, Upper(results[0].CoMoment, d)))
                    .GetCovariance()) < 1e-12);
    }

    [Theory]
    [InlineData(2, 1500)]   // rounds of 512 rows folded by the partitions themselves, then a partial round
    [InlineData(3, 2400)]
    public void BulkRowsWithPartitions_GiveTheSameBitsAsRowByRow(int partitions, int m)
    {
        const int d = 40;
        var rows = GeometryTestData.GaussianRows(m, d, seed: 31, offset: 3);
        var flat = rows.SelectMany(r => r).ToArray();
        var single = new CovarianceAccumulator(d, partitions);
        foreach (var r in rows) single.Add(r);
        var bulk = new CovarianceAccumulator(d, partitions);
        bulk.AddRows(flat.AsSpan(0, 7 * d), 7);             // start mid-round: row by row up to the round boundary
        bulk.AddRows(flat.AsSpan(7 * d), m - 7);
        Assert.Equal(m, bulk.Count);
        Assert.Equal(Flatten(single.GetCoMoment()), Flatten(bulk.GetCoMoment()));
        Assert.Equal(single.GetMean(), bulk.GetMean());
    }

    [Fact]
    public void BulkRowsWithABadValue_KeepTheRowsBeforeIt()
    {
        const int d = 12, m = 1400, bad = 900;
        var rows = GeometryTestData.GaussianRows(m, d, seed: 32);
        var flat = rows.SelectMany(r => r).ToArray();
        flat[bad * d + 4] = float.NaN;
        var bulk = new CovarianceAccumulator(d, 2);
        var ex = Assert.Throws<ArgumentException>(() => bulk.AddRows(flat, m));
        Assert.Contains($"Row {bad} ", ex.Message);
        Assert.Equal(bad, bulk.Count);
        var kept = new CovarianceAccumulator(d, 2);
        foreach (var r in rows.Take(bad)) kept.Add(r);
        Assert.Equal(Flatten(kept.GetCoMoment()), Flatten(bulk.GetCoMoment()));
    }

    [Fact]
    public void AccumulatorsOnDifferentKernelPaths_Merge()
    {
        const int d = 11; // padded to 16 with panels of 8 and to 12 with panels of 4: the co-moment strides differ
        var a = GeometryTestData.GaussianRows(400, d, seed: 21, offset: 1);
        var b = GeometryTestData.GaussianRows(300, d, seed: 22, offset: -1);
        foreach (var pa in Enum.GetValues<SymmetricRankKUpdate.KernelPath>().Where(SymmetricRankKUpdate.IsSupported))
            foreach (var pb in Enum.GetValues<SymmetricRankKUpdate.KernelPath>().Where(SymmetricRankKUpdate.IsSupported))
            {
                var accA = new CovarianceAccumulator(d, 1, pa);
                var accB = new CovarianceAccumulator(d, 2, pb);
                foreach (var r in a) accA.Add(r);
                foreach (var r in b) accB.Add(r);
                accA.Merge(accB);
                Assert.True(GeometryTestData.MaxAbsDiff(GeometryTestData.NaiveCovariance(a.Concat(b).ToArray()), accA.GetCovariance()) < 1e-12,
                    $"{pa} ⊕ {pb}");
            }
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1e-6, 0.0)]   // tiny activations
    [InlineData(1e4, 0.0)]    // huge activations
    [InlineData(1.0, 1e3)]    // a large common offset on top of the rogue means
    public void IsoScoreOfHiddenStateLikeClouds_MatchesAFloat64Reference(double scale, double offset)
    {
        // BERT-like hidden states: a few rogue dimensions with large mean and variance, a shared low-rank component
        // (anisotropy) and small isotropic noise, then scaled and offset.
        const int m = 3000, d = 96;
        var rows = GeometryTestData.HiddenStateRows(m, d, seed: 77, scale, offset);
        var reference = GeometryTestData.NaiveCovariance(rows);
        double expected = CovarianceScores.IsoScore(reference);
        foreach (int partitions in new[] { 1, 2 })
        {
            var acc = new CovarianceAccumulator(d, partitions);
            acc.AddRows(rows.SelectMany(r => r).ToArray(), m);
            var c = acc.GetCovariance();
            Assert.True(Math.Abs(CovarianceScores.IsoScore(c) - expected) < 1e-9,
                $"P = {partitions}: IsoScore {CovarianceScores.IsoScore(c):R} vs reference {expected:R}");
            double top = reference[0, 0];
            for (int i = 1; i < d; i++) top = Math.Max(top, reference[i, i]);
            Assert.True(GeometryTestData.MaxAbsDiff(reference, c) < 1e-12 * top);
        }
        Assert.InRange(expected, 0.01, 0.5); // genuinely anisotropic
    }

    private static double[] Flatten(double[,] m) => m.Cast<double>().ToArray();

    private static double[] Upper(double[] full, int d)
    {
        var u = new double[d * (d + 1) / 2];
        int k = 0;
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) u[k++] = full[i * d + j];
        return u;
    }

    [Fact]
    public void ExportAndImport_RoundTripThenMerge()
    {
        const int d = 9;
        var a = GeometryTestData.GaussianRows(300, d, seed: 11);
        var b = GeometryTestData.GaussianRows(200, d, seed: 12, offset: 2);
        var accA = new CovarianceAccumulator(d);
        foreach (var r in a) accA.Add(r);
        var restored = CovarianceAccumulator.FromState(accA.ExportState());
        Assert.Equal(accA.Count, restored.Count);
        Assert.True(GeometryTestData.MaxAbsDiff(accA.GetCovariance(), restored.GetCovariance()) == 0);
        foreach (var r in b) restored.Add(r);
        var expected = GeometryTestData.NaiveCovariance(a.Concat(b).ToArray());
        Assert.True(GeometryTestData.MaxAbsDiff(expected, restored.GetCovariance()) < 1e-10);
        var state = accA.ExportState();
        Assert.Equal(d * (d + 1) / 2, state.CoMomentUpper.Length);
        Assert.Equal(accA.GetCoMoment()[2, 5], state.CoMomentUpper[CovarianceAccumulatorState.PackedIndex(d, 2, 5)]);
    }

    [Fact]
    public void Import_RejectsInconsistentState()
    {
        Assert.Throws<ArgumentException>(() => CovarianceAccumulator.FromState(new CovarianceAccumulatorState(3, 5, new double[2], new double[6])));
        Assert.Throws<ArgumentException>(() => CovarianceAccumulator.FromState(new CovarianceAccumulatorState(3, 5, new double[3], new double[5])));
        Assert.Throws<ArgumentException>(() => CovarianceAccumulator.FromState(new CovarianceAccumulatorState(3, -1, new double[3], new double[6])));
        Assert.Throws<ArgumentException>(() => CovarianceAccumulator.FromState(new CovarianceAccumulatorState(2, 5, [0, double.NaN], new double[3])));
    }

    [Fact]
    public void SecondMoment_IsUncentred()
    {
        float[][] rows = [[1, 2], [3, 4], [5, 0]];
        var acc = new CovarianceAccumulator(2);
        foreach (var r in rows) acc.Add(r);
        var s = acc.GetSecondMoment();
        Assert.Equal((1 + 9 + 25) / 3.0, s[0, 0], 12);
        Assert.Equal((2 + 12 + 0) / 3.0, s[0, 1], 12);
        Assert.Equal((4 + 16 + 0) / 3.0, s[1, 1], 12);
        Assert.Equal(s[0, 1], s[1, 0]);
    }

    [Fact]
    public void BadInput_GivesClearErrors()
    {
        var acc = new CovarianceAccumulator(3);
        acc.Add(new float[] { 1, 2, 3 });
        var ex = Assert.Throws<ArgumentException>(() => acc.Add(new float[] { 1, 2 }));
        Assert.Contains("Row 1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => acc.Add(new float[] { 1, float.NaN, 3 }));
        Assert.Contains("Row 1", ex.Message);
        Assert.Contains("dimension 1", ex.Message);
        Assert.Throws<ArgumentException>(() => acc.AddRows(new float[5], 2));
        Assert.Throws<InvalidOperationException>(() => acc.GetCovariance());
        Assert.Equal(1, acc.Count);
        Assert.Throws<ArgumentException>(() => acc.Merge(new CovarianceAccumulator(4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CovarianceAccumulator(0));
    }

    [Fact]
    public void RejectedRow_LeavesNoTrace()
    {
        // The bad row is caught mid-block (after its finite values were already summed): the accumulator must end
        // exactly as one that never saw it.
        const int d = 30;
        var rows = GeometryTestData.GaussianRows(700, d, seed: 13, offset: 2);
        var clean = new CovarianceAccumulator(d, 2);
        var dirty = new CovarianceAccumulator(d, 2);
        for (int i = 0; i < rows.Length; i++)
        {
            clean.Add(rows[i]);
            dirty.Add(rows[i]);
            if (i == 100 || i == 400)
            {
                var bad = (float[])rows[i].Clone();
                bad[d - 1] = i == 100 ? float.NaN : float.PositiveInfinity; // the last value, after the vector part
                bad[5] = i == 400 ? float.NegativeInfinity : bad[5];
                var ex = Assert.Throws<ArgumentException>(() => dirty.Add(bad));
                Assert.Contains($"Row {i + 1} ", ex.Message);
                Assert.Contains($"dimension {(i == 100 ? d - 1 : 5)}", ex.Message);
            }
        }
        Assert.Equal(clean.Count, dirty.Count);
        Assert.Equal(Flatten(clean.GetCoMoment()), Flatten(dirty.GetCoMoment()));
        Assert.Equal(clean.GetMean(), dirty.GetMean());
    }

    [Fact]
    public void MergingWithItself_DoublesTheData()
    {
        var rows = GeometryTestData.GaussianRows(40, 4, seed: 3);
        var acc = new CovarianceAccumulator(4);
        foreach (var r in rows) acc.Add(r);
        acc.Merge(acc);
        var expected = GeometryTestData.NaiveCovariance(rows.Concat(rows).ToArray());
        Assert.Equal(80, acc.Count);
        Assert.True(GeometryTestData.MaxAbsDiff(expected, acc.GetCovariance()) < 1e-12);
    }
}
