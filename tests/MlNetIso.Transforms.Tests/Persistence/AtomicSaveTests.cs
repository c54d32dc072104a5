using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.ML;
using MlNetIso.Onnx.Attention;
using MlNetIso.Onnx.IO;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Transforms.Tests.Embedding;
using MlNetIso.Transforms.Tests.Onnx.IO;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Persistence;

/// <summary>
/// Issue 13, rows 1 and 2: a save that is killed (SIGKILL, in a child process) or fails part-way (a full disk) leaves
/// the previous file complete and loadable. Before AtomicFile, SavePackaged truncated the package in place.
/// </summary>
public sealed class AtomicSaveTests
{
    private static readonly string[] Texts = ["a good film", "a bad film with a very long and boring plot", "", "fun"];

    /// <summary>The bundled demo encoder (6 MB): a package of it takes long enough to write that kills land mid-write.</summary>
    private static string MiniEncoder => Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");

    [Fact]
    public void KilledDuringSavePackaged_TheOldPackageStillLoads()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Texts.Select(t => new TextRow { Text = t }));
        using var model = ml.Transforms.Text.ApplyTempScaleEmbedding("E", MiniEncoder, "Text", temperature: 0.8f).Fit(data);
        var expected = ReadVectors(model.Transform(data), "E");
        var dir = TestPaths.NewTempDir();
        try
        {
            KillRepeatedly(ml, model, data, expected, dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void KillRepeatedly(MLContext ml, ITransformer model, IDataView data, List<float[]> expected, string dir)
    {
        var source = Path.Combine(dir, "source.zip");
        var target = Path.Combine(dir, "target.zip");
        ml.Model.SavePackaged(model, data.Schema, source);
        ml.Model.SavePackaged(model, data.Schema, target);

        var random = new Random(13);
        var clock = Stopwatch.StartNew();
        int attempts = 0, midWrite = 0;
        // Kill the saving child (SIGKILL) while it holds a file in the target's folder open for writing, at a random
        // point of the write, until that has happened three times; every time, the target must still be a complete package.
        while (midWrite < 3 && attempts < 10 && clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            attempts++;
            if (KillWhileWriting(source, target, dir, delay: TimeSpan.FromMilliseconds(random.Next(0, 300)))) midWrite++;
            var loaded = ml.Model.LoadPackaged(target, out _);
            try
            {
                Assert.Equal(expected, ReadVectors(loaded.Transform(data), "E"));
            }
            finally
            {
                foreach (var step in PackagedModelOperations.Flatten(loaded).OfType<IDisposable>()) step.Dispose();
            }
            AtomicFile.RemoveLeftovers(target);
            Assert.Empty(Directory.GetFiles(dir, ".target.zip.*"));
        }
        Assert.True(midWrite >= 1, $"none of {attempts} kills landed while the package was being written");
    }

    /// <summary>
    /// Starts the LoadCheck child in save-loop mode and lets it finish one save; then waits <paramref name="delay"/> and
    /// SIGKILLs it the moment it has a file in <paramref name="dir"/> (other than <paramref name="source"/>) open, as seen
    /// in <c>/proc/&lt;pid&gt;/fd</c>. Returns whether the kill landed during such a write.
    /// </summary>
    private static bool KillWhileWriting(string source, string target, string dir, TimeSpan delay)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { LoadCheckProcess.AssemblyPath, "--model", source, "--save-loop", target }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        using var warm = new ManualResetEventSlim();
        var errors = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is "saved 0") warm.Set();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) errors.Enqueue(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var writing = false;
        try
        {
            Assert.True(warm.Wait(TimeSpan.FromSeconds(60)), $"the save-loop child did not complete a save: {string.Join('\n', errors)}");
            Thread.Sleep(delay);
            var fds = $"/proc/{process.Id}/fd";
            var clock = Stopwatch.StartNew();
            while (!writing && clock.Elapsed < TimeSpan.FromSeconds(10) && Directory.Exists(fds))
            {
                foreach (var fd in Directory.EnumerateFiles(fds))
                {
                    string? link;
                    try
                    {
                        link = new FileInfo(fd).LinkTarget;
                    }
                    catch (IOException)
                    {
                        continue; // closed while we looked
                    }
                    if (link is not null && link.StartsWith(dir, StringComparison.Ordinal) && link != source)
                    {
                        writing = true;
                        break;
                    }
                }
            }
        }
        finally
        {
            process.Kill(); // SIGKILL on Unix: no finally blocks, no flushing, no cleanup in the child
            process.WaitForExit();
        }
        return writing;
    }

    [Fact]
    public void DiskFullDuringSavePackaged_KeepsTheOldPackageAndLeavesNoTemporaryFile()
    {
        var encoder = new TestEncoderFolder(seed: 3);
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Texts.Select(t => new TextRow { Text = t }));
        using var model = ml.Transforms.Text.ApplyTempScaleEmbedding("E", encoder.ModelPath, "Text").Fit(data);
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "model.zip");
        ml.Model.SavePackaged(model, data.Schema, path);
        var before = File.ReadAllBytes(path);

        using (AtomicFile.InterceptWrites(s => new FailingStream(s, capacity: before.Length / 3)))
        {
            var e = Assert.ThrowsAny<IOException>(() => ml.Model.SavePackaged(model, data.Schema, path));
            Assert.Contains("No space left on device", e.Message);
        }
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
        var loaded = ml.Model.LoadPackaged(path, out _);
        Assert.Equal(ReadVectors(model.Transform(data), "E"), ReadVectors(loaded.Transform(data), "E"));
    }

    public static TheoryData<string> Writers => ["TempScale.Rewrite", "IsotropyReport.Save", "EncoderFolder.Write", "BertConfig.Save"];

    /// <summary>Every other writer of the libraries goes through AtomicFile too: a failing stream keeps the old file.</summary>
    [Theory]
    [MemberData(nameof(Writers))]
    public void DiskFullDuringAnyWriter_KeepsTheOldFile(string writer)
    {
        var encoder = new TestEncoderFolder(seed: 5);
        var dir = TestPaths.NewTempDir();
        string path;
        Action write;
        switch (writer)
        {
            case "TempScale.Rewrite":
                path = Path.Combine(dir, "model.tau.onnx");
                TempScale.Rewrite(encoder.ModelPath, path, 0.5f);
                write = () => TempScale.Rewrite(encoder.ModelPath, path, 0.7f);
                break;
            case "IsotropyReport.Save":
                var ml = new MLContext(1);
                var view = Isotropy.IsotropyTestData.ToDataView(ml, Isotropy.IsotropyTestData.Correlated(40, 5));
                var report = ml.Transforms.MeasureIsotropy(Isotropy.IsotropyTestData.Column).Fit(view).Report;
                path = Path.Combine(dir, "report.json");
                report.Save(path);
                write = () => report.Save(path);
                break;
            case "EncoderFolder.Write":
                path = Path.Combine(dir, "encoder", "model.onnx");
                EncoderFolder.Write(Path.GetDirectoryName(path)!, new EncoderFolderContent { OnnxModel = encoder.ModelBytes });
                write = () => EncoderFolder.Write(Path.GetDirectoryName(path)!, new EncoderFolderContent { OnnxModel = [.. encoder.ModelBytes, 1, 2] });
                break;
            default:
                path = Path.Combine(dir, "config.json");
                var config = EncoderFolder.Open(encoder.Folder).LoadBertConfig();
                config.Save(path);
                write = () => (config with { NumHiddenLayers = 7 }).Save(path);
                break;
        }
        var before = File.ReadAllBytes(path);
        using (AtomicFile.InterceptWrites(s => new FailingStream(s, capacity: 10)))
            Assert.Contains("No space left on device", Assert.ThrowsAny<IOException>(write).Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, ".*"));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(Path.GetDirectoryName(path)!)!, ".*"));
    }
}
