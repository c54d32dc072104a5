using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>The README's pipeline example, run as written (with small data), so the snippet keeps compiling and working.</summary>
public sealed class IsotropyReadmeExampleTests
{
    public sealed class Sentence
    {
        [VectorType(8)]
        public float[] Embedding { get; set; } = [];
    }

    [Fact]
    public void ReadmeExample_MeasuresWhitensSavesAndReloads()
    {
        var rows = IsotropyTestData.Correlated(200, 8).Select(v => new Sentence { Embedding = v });
        string dir = TestPaths.NewTempDir();

        // --- README snippet (begin) ---
        var ml = new MLContext(seed: 0);
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.MeasureIsotropy("Embedding", new IsotropyOptions
        {
            PostProcessing = IsotropyPostProcessing.Whiten, WhitenComponents = 4, OutputColumnName = "Whitened",
        });
        var model = pipeline.Fit(data);
        var r = model.Report;
        Console.WriteLine($"IsoScore {r.IsoScore:F3}, avg cos {r.AverageCosineSimilarity:F3}, TwoNN {r.IntrinsicDimension:F1}, top rogue dim {r.RogueDimensions[0].Dimension}");
        r.Save(Path.Combine(dir, "isotropy.json"));
        ml.Model.Save(model, data.Schema, Path.Combine(dir, "model.zip"));
        // --- README snippet (end) ---

        var reloaded = new MLContext(1).Model.Load(Path.Combine(dir, "model.zip"), out _);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4), reloaded.GetOutputSchema(data.Schema)["Whitened"].Type);
        Assert.Equal(r.ToJson(), IsotropyReport.Load(Path.Combine(dir, "isotropy.json")).ToJson());
        Assert.Equal(r.ToJson(), Assert.Single(IsotropyReport.FromSavedModel(Path.Combine(dir, "model.zip"))).ToJson());
    }
}
