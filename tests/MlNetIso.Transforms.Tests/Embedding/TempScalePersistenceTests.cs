using System.Diagnostics;
using Microsoft.ML;
using MlNetIso.Transforms.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// Save/load of pipelines containing the TempScale transform: one call to save, one to load, identical output in a
/// fresh process; plain <c>mlContext.Model.Save</c> fails naming the call to use.
/// </summary>
public sealed class TempScalePersistenceTests
{
    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
        public float Score { get; set; }
        public float[] Embedding { get; set; } = [];
    }

    private static (MLContext Ml, IDataView Data, ITransformer Model, TestEncoderFolder Encoder) TrainPipeline()
    {
        var encoder = new TestEncoderFolder(seed: 21);
        var ml = new MLContext(1);
        var rows = TestEncoderFolder.MixedTexts(40, seed: 22)
            .Select((t, i) => new LabeledTextRow { Text = t + (i % 2 == 0 ? " great fun" : " terrible boring"), Label = i % 2 == 0 })
            .ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = encoder.Options(temperature: 0.6f);
        options.IntraOpThreads = 1;
        options.BatchSize = 8;
        var pipeline = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options)
            .Append(ml.Transforms.NormalizeMinMax("Normalized", "Embedding"))
            .Append(ml.Transforms.Concatenate("Features", "Normalized"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression());
        return (ml, data, pipeline.Fit(data), encoder);
    }

    private static List<Prediction> Predict(MLContext ml, ITransformer model, IDataView data) =>
        ml.Data.CreateEnumerable<Prediction>(model.Transform(data), reuseRowObject: false).ToList();

    [Fact]
    public void PlainModelSave_FailsNamingTheCallToUse()
    {
        var (ml, data, model, _) = TrainPipeline();
        var path = Path.Combine(TestPaths.NewTempDir(), "plain.zip");
        var e = Record.Exception(() => ml.Model.Save(model, data.Schema, path));
        Assert.NotNull(e);
        Assert.Contains(Chain(e), x => x is NotSupportedException);
        var messages = string.Join(" | ", Flatten(e));
        Assert.Contains("SavePackaged", messages);
        Assert.Contains("LoadPackaged", messages);
        // Whatever ML.NET left behind must not load as a model.
        if (File.Exists(path))
            Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
    }

    private static IEnumerable<string> Flatten(Exception e) => Chain(e).Select(x => x.Message);

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException) yield return x;
    }

    [Fact]
    public void SavedFile_LoadsWithoutTheOriginalFolderAndPredictsIdentically()
    {
        var (ml, data, model, encoder) = TrainPipeline();
        var expected = Predict(ml, model, data);
        var path = Path.Combine(TestPaths.NewTempDir(), "pipeline.zip");
        ml.Model.SavePackaged(model, data.Schema, path);
        Directory.Delete(encoder.Folder, recursive: true);

        var fresh = new MLContext(5);
        var loaded = fresh.Model.LoadPackaged(path, out var schema);
        Assert.Equal(data.Schema.Select(c => (c.Name, c.Type)), schema.Select(c => (c.Name, c.Type)));
        var steps = PackagedModelOperations.Flatten(loaded).ToList();
        var embedding = Assert.IsType<TempScaleEmbeddingTransformer>(steps[0]);
        Assert.Equal(0.6f, embedding.Temperature);
        Assert.Equal(2, embedding.RewrittenSites);
        Assert.Equal(4, steps.Count);

        var actual = Predict(fresh, loaded, data);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Embedding, actual[i].Embedding);
            Assert.Equal(expected[i].Score, actual[i].Score);
            Assert.Equal(expected[i].PredictedLabel, actual[i].PredictedLabel);
        }

        var engine = fresh.Model.CreatePredictionEngine<LabeledTextRow, Prediction>(loaded);
        var one = engine.Predict(new LabeledTextRow { Text = "the movie was great fun" });
        Assert.Equal(16, one.Embedding.Length);
        embedding.Dispose();
    }

    [Fact]
    public void TransformOnlyAndBuiltInFirstPipelines_RoundTrip()
    {
        var encoder = new TestEncoderFolder(seed: 23);
        var ml = new MLContext(1);
        var data = Texts(ml, TestEncoderFolder.MixedTexts(6, seed: 24));
        using var alone = ml.Transforms.Text.ApplyTempScaleEmbedding("E", encoder.ModelPath, "Text").Fit(data);
        var stream = new MemoryStream();
        ml.Model.SavePackaged(alone, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.LoadPackaged(stream, out _);
        Assert.Equal(ReadVectors(alone.Transform(data), "E"), ReadVectors(loaded.Transform(data), "E"));

        var chain = ml.Transforms.CopyColumns("Copy", "Text")
            .Append(ml.Transforms.Text.ApplyTempScaleEmbedding("E", encoder.ModelPath, "Copy", temperature: 0.8f))
            .Fit(data);
        var path = Path.Combine(TestPaths.NewTempDir(), "chain.zip");
        ml.Model.SavePackaged(chain, data.Schema, path);
        var reloaded = ml.Model.LoadPackaged(path, out _);
        Assert.Equal(ReadVectors(chain.Transform(data), "E"), ReadVectors(reloaded.Transform(data), "E"));
    }

    [Fact]
    public void CorruptOrForeignFiles_AreRejectedClearly()
    {
        var ml = new MLContext(1);
        var dir = TestPaths.NewTempDir();
        var notZip = Path.Combine(dir, "x.zip");
        File.WriteAllText(notZip, "not a zip");
        Assert.Contains("not a model package", Assert.Throws<InvalidDataException>(() => ml.Model.LoadPackaged(notZip, out _)).Message);

        var plain = Path.Combine(dir, "plain.zip");
        var data = Texts(ml, ["a"]);
        ml.Model.Save(ml.Transforms.CopyColumns("B", "Text").Fit(data), data.Schema, plain);
        Assert.Contains("plain ML.NET model (written by mlContext.Model.Save), not a model package: load it with mlContext.Model.Load",
            Assert.Throws<InvalidDataException>(() => ml.Model.LoadPackaged(plain, out _)).Message);
        Assert.Throws<FileNotFoundException>(() => ml.Model.LoadPackaged(Path.Combine(dir, "none.zip"), out _));

        var newer = Path.Combine(dir, "newer.zip");
        ml.Model.SavePackaged(ml.Transforms.CopyColumns("B", "Text").Fit(data), data.Schema, newer);
        using (var zip = System.IO.Compression.ZipFile.Open(newer, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            string json;
            using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            writer.Write(json.Replace("\"Version\": 1", "\"Version\": 99"));
        }
        Assert.Contains("newer", Assert.Throws<InvalidDataException>(() => ml.Model.LoadPackaged(newer, out _)).Message);
    }

    [Fact]
    public void FreshProcessLoad_GivesIdenticalPredictions()
    {
        var (ml, data, model, _) = TrainPipeline();
        var dir = TestPaths.NewTempDir();
        var modelPath = Path.Combine(dir, "pipeline.zip");
        var inputPath = Path.Combine(dir, "input.idv");
        var outputPath = Path.Combine(dir, "output.idv");
        ml.Model.SavePackaged(model, data.Schema, modelPath);
        using (var s = File.Create(inputPath)) ml.Data.SaveAsBinary(data, s);

        var (exit, stdout, stderr) = RunLoadCheck("--model", modelPath, "--input", inputPath, "--output", outputPath,
            "--loader", "packaged", "--bind-trainer", "Embedding");
        Assert.True(exit == 0, $"LoadCheck exited with {exit}: {stderr}");
        Assert.Contains("column\tEmbedding\tVector<Single, 16>", stdout);
        Assert.Contains("trainer-bound\tEmbedding", stdout);

        var expected = Predict(ml, model, data);
        var actual = ml.Data.CreateEnumerable<Prediction>(ml.Data.LoadFromBinary(outputPath), reuseRowObject: false).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Embedding, actual[i].Embedding);
            Assert.Equal(expected[i].Score, actual[i].Score);
            Assert.Equal(expected[i].PredictedLabel, actual[i].PredictedLabel);
        }
    }

    /// <summary>Runs tests/MlNetIso.LoadCheck (built beside these tests) as a separate process.</summary>
    private static (int Exit, string StdOut, string StdErr) RunLoadCheck(params string[] arguments)
    {
        var tfm = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var dll = Path.Combine(TestPaths.RepoRoot, "tests", "MlNetIso.LoadCheck", "bin", tfm.Parent!.Name, tfm.Name, "MlNetIso.LoadCheck.dll");
        Assert.True(File.Exists(dll), $"LoadCheck was not built at {dll}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("LoadCheck did not finish within 2 minutes.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
