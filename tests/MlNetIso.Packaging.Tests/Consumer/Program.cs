using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Persistence;

// A user's app built from the packages alone: embed with the demo encoder that ships inside MlNetIso.Transforms,
// train I-STAR head-only on the embeddings, save the whole pipeline to one file, load it back and predict.
// Prints one "KEY value" line per step for the packaging test to check.
var outDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "mlnetiso-consumer");
Directory.CreateDirectory(outDir);
var ml = new MLContext(seed: 0);

string[] good = ["a wonderful, moving film", "brilliant acting and a great story", "funny, warm and smart", "a delight from start to end"];
string[] bad = ["a dull, boring mess", "terrible acting and a weak plot", "tedious and far too long", "a waste of two hours"];
var rows = Enumerable.Range(0, 60)
    .Select(i => i % 2 == 0 ? new Review { Text = good[i / 2 % good.Length] + $" ({i})", Label = "pos" }
                            : new Review { Text = bad[i / 2 % bad.Length] + $" ({i})", Label = "neg" })
    .ToArray();
var data = ml.Data.LoadFromEnumerable(rows);

var encoder = BuiltInEncoders.Materialize("mlnetiso-mini");
var embedding = ml.Transforms.Text.ApplyTempScaleEmbedding("Features", "Text",
    new TempScaleEmbeddingOptions { ModelPath = encoder, Temperature = 0.8f });
var embedded = embedding.Fit(data).Transform(data);
var first = embedded.GetColumn<float[]>("Features").First();
Console.WriteLine($"EMBED d={first.Length} norm={Math.Sqrt(first.Sum(x => x * x)):F4}");

var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(embedding)
    .Append(ml.MulticlassClassification.Trainers.IStar(new IStarOptions
    {
        FeatureColumnName = "Features", Lambda = -1, Zeta = 0.2, Epochs = 20, BatchSize = 8, LearningRate = 1e-2,
        ReferencePoints = 1000, Seed = 0,
    }));
var model = pipeline.Fit(data);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
Console.WriteLine($"TRAIN accuracy={metrics.MicroAccuracy:F3}");

var path = Path.Combine(outDir, "model.zip");
ml.Model.SavePackaged(model, data.Schema, path);
Console.WriteLine($"SAVE bytes={new FileInfo(path).Length}");

var loaded = new MLContext(seed: 1).Model.LoadPackaged(path, out _);
var before = model.Transform(data).GetColumn<float[]>("Score").ToArray();
var after = loaded.Transform(data).GetColumn<float[]>("Score").ToArray();
var maxDiff = before.Zip(after).Max(p => p.First.Zip(p.Second).Max(q => Math.Abs(q.First - q.Second)));
Console.WriteLine($"LOAD rows={after.Length} maxScoreDiff={maxDiff:G3}");
return 0;

internal sealed class Review
{
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}
