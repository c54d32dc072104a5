using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Samples;

/// <summary>
/// Sample 5 — the README pipeline end to end: TempScale embedding → I-STAR head-only classifier → evaluate → save to one
/// file → load in a second process and predict the same labels.
/// </summary>
public static class SaveAndLoadInASecondProcess
{
    private sealed class Prediction
    {
        public string PredictedText { get; set; } = "";
    }

    /// <summary>Trains with <paramref name="encoder"/>, saves, and checks the predictions of a second process against this one's.</summary>
    public static void Run(string outDir, TextWriter log, string encoder = SampleData.Encoder)
    {
        var ml = new MLContext(seed: 0);
        var reviews = SampleData.Reviews(perClass: 100);
        var data = ml.Data.LoadFromEnumerable(reviews);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.ApplyTempScaleEmbedding("Features", encoder, inputColumnName: "Text", temperature: 0.8f))
            .Append(ml.MulticlassClassification.Trainers.IStar(new IStarOptions { FeatureColumnName = "Features", Epochs = 3, Seed = 0 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel"));
        var model = pipeline.Fit(data);
        log.WriteLine($"training accuracy {ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy:F3}");

        // One call saves everything (encoder graph, vocabulary, head weights, ML.NET steps) into one zip.
        var path = Path.Combine(outDir, "pipeline.zip");
        ml.Model.SavePackaged(model, data.Schema, path);

        var texts = Path.Combine(outDir, "texts.txt");
        File.WriteAllLines(texts, reviews.Take(20).Select(r => r.Text));
        var expected = Predict(ml, model, texts);

        // A second process loads the file with one call and predicts.
        var psi = new ProcessStartInfo("dotnet", [typeof(SaveAndLoadInASecondProcess).Assembly.Location, "load-check", path, texts])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        if (process.ExitCode != 0 || !lines.SequenceEqual(expected))
            throw new InvalidOperationException($"The second process disagreed (exit {process.ExitCode}): {string.Join(",", lines)} vs {string.Join(",", expected)}");
        log.WriteLine($"a second process loaded {path} and predicted the same {expected.Length} labels");
    }

    /// <summary>The second process: loads the zip and prints one predicted label per text line.</summary>
    public static int LoadCheck(string modelPath, string textsPath, TextWriter output)
    {
        var ml = new MLContext(seed: 0);
        var model = ml.Model.LoadPackaged(modelPath, out _);
        foreach (var label in Predict(ml, model, textsPath)) output.WriteLine(label);
        return 0;
    }

    private static string[] Predict(MLContext ml, ITransformer model, string textsPath)
    {
        var rows = File.ReadAllLines(textsPath).Select(t => new SampleData.Review { Text = t, Label = "pos" });
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        return scored.GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(v => v.ToString()).ToArray();
    }
}
