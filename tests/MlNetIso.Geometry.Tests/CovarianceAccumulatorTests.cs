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

    [Fact]
    public void ParallelKernel_EqualsSingleThread()
    {
        const int d = 50;
        var rows = GeometryTestData.GaussianRows(600, d, seed: 4);
        var one = new CovarianceAccumulator(d);
        var many = new CovarianceAccumulator(d, maxDegreeOfParallelism: 4);
        foreach (var r in rows) { one.Add(r); many.Add(r); }
        Assert.True(GeometryTestData.MaxAbsDiff(one.GetCovariance(), many.GetCovariance()) < 1e-12);
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
