using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Cli.Rendering;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Cli.Tests.Rendering;

/// <summary>The readings and units of the report's measures.</summary>
public class ReportMeasuresTests
{
    [Theory]
    [InlineData(0.04, "strongly anisotropic")]
    [InlineData(0.0999, "strongly anisotropic")]
    [InlineData(0.1, "anisotropic")]
    [InlineData(0.28, "anisotropic")]
    [InlineData(0.3, "moderately isotropic")]
    [InlineData(0.61, "close to isotropic")]
    public void IsoScoreBands(double isoScore, string band) => Assert.Equal(band, ReportMeasures.IsoScoreBand(isoScore));

    [Theory]
    [InlineData(0.0429, "Share", "4.29 %")]
    [InlineData(0.5, "Share", "50.0 %")]
    [InlineData(0.0395, "Score", "0.0395")]
    [InlineData(5331, "Count", "5,331")]
    [InlineData(83.6071, "Directions", "83.6")]
    [InlineData(2.92381, "Nats", "2.924")]
    [InlineData(double.NaN, "Cosine", "n/a")]
    public void Units_FormatTheSameWayEverywhere(double value, string unit, string text) =>
        Assert.Equal(text, ReportMeasure.Format(value, Enum.Parse<MeasureUnit>(unit)));

    [Fact]
    public void EveryMeasure_ReadsAMeasuredCloud()
    {
        // 300 points in 16 dimensions, variance on 4 axes only: IsoScore (4 − 1)/(16 − 1) = 0.2 in the limit.
        var rng = new Random(3);
        var ml = new MLContext(0);
        var rows = Enumerable.Range(0, 300).Select(_ => new Row
        {
            V = Enumerable.Range(0, 16).Select(d => d < 4 ? (float)(rng.NextDouble() * 2 - 1) : 0f).ToArray(),
        });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.V)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 16);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        using var t = ml.Transforms.MeasureIsotropy("V").Fit(data);
        var report = t.Report;
        Assert.InRange(report.IsoScore, 0.18, 0.21);
        Assert.Matches(@"^IsoScore 0\.(18|19|20|21): variance in about 4 of 16 directions — anisotropic$", ReportMeasures.Headline(report));
        foreach (var m in ReportMeasures.All)
        {
            Assert.NotEqual("n/a", m.Format(report));
            if (m.Reading is not null) Assert.False(string.IsNullOrWhiteSpace(m.Read(report)), m.Name);
        }
        Assert.Contains("of 16 dimensions", ReportMeasures.Get("effective-rank-covariance").Read(report));
        Assert.Contains("an even spread gives 6.25 %", ReportMeasures.Get("top-dimension-share").Read(report));
        Assert.Equal(ReportMeasures.All.Count, ReportMeasures.All.Select(m => m.Key).Distinct().Count());
    }

    private sealed class Row
    {
        public float[] V { get; set; } = [];
    }

    [Fact]
    public void Measures_FollowTheLibrarysMeasureTable()
    {
        Assert.Equal(IsotropyReport.Measures.Select(m => m.Name), ReportMeasures.All.Select(m => m.Name));
        foreach (var name in ReportMeasures.Presentation.Keys)
            Assert.Contains(IsotropyReport.Measures, m => m.Name == name); // a renamed library measure would lose its reading
        Assert.All(ReportMeasures.All.Where(m => m.Unit != MeasureUnit.Count), m => Assert.NotNull(m.Reading));
    }
}
