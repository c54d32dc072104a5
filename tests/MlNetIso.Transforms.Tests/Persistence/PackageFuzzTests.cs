using FsCheck;
using FsCheck.Fluent;
using Microsoft.ML;
using MlNetIso.Transforms.Tests.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Persistence;

/// <summary>
/// Property-based fuzzing of model packages (issue 13, item 4): random flips, truncations and edits of a saved TempScale
/// package — of the zip itself and of each entry's content (manifest, settings, columns, vocabulary, ONNX model) — must
/// each end, within a time limit, either in a working model or in the documented <see cref="InvalidDataException"/>
/// (loading), the transform's documented "Encoder '…' failed on a batch" <see cref="InvalidOperationException"/>
/// (running a damaged but loadable graph; ML.NET wraps it when a later step reads in parallel) or ML.NET's <see cref="ArgumentOutOfRangeException"/> naming a column the data
/// lacks (an edited column name): never a hang, never another exception, never a process crash.
/// <c>MLNETISO_FUZZ_RUNS</c> raises the number of attempts for a long local run.
/// </summary>
public sealed class PackageFuzzTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>The message of ML.NET's wrapper around an exception thrown by a cursor its splitter reads on a worker thread.</summary>
    private const string SplitterMessage = "Splitter/consolidator worker encountered exception";

    private static readonly Lazy<byte[]> Package = new(() =>
    {
        var encoder = new TestEncoderFolder(seed: 61, maxPositions: 32);
        var ml = new MLContext(1);
        var data = Texts(ml, ["a"]);
        var options = encoder.Options(temperature: 0.8f);
        options.BatchSize = 4;
        // A built-in step before and after the embedding: the package then holds nested ML.NET models too.
        using var model = ml.Transforms.CopyColumns("Text2", "Text")
            .Append(ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text2", options))
            .Append(ml.Transforms.NormalizeMinMax("N", "E"))
            .Fit(data) as IDisposable;
        var stream = new MemoryStream();
        ml.Model.SavePackaged((ITransformer)model!, data.Schema, stream);
        return stream.ToArray();
    });

    [Fact]
    public void DamagedPackages_LoadOrFailWithADocumentedException()
    {
        Prop.ForAll(PackageMutation.Arbitrary(PackageMutation.ZipKinds), mutation =>
        {
            var damaged = mutation.ApplyToPackage(Package.Value);
            var error = PackageEditor.Within(Limit, () =>
            {
                var ml = new MLContext(1);
                var model = ml.Model.LoadPackaged(new MemoryStream(damaged), out _);
                try
                {
                    _ = ReadVectors(model.Transform(Texts(ml, ["a good film", "", "the plot was long and boring and long"])), "N");
                }
                finally
                {
                    foreach (var step in PackagedModelOperations.Flatten(model).OfType<IDisposable>()) step.Dispose();
                }
            });
            AssertDocumented(error, mutation);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(FuzzAttempts.Count(60)));
    }

    /// <summary>Fails naming the mutation unless <paramref name="error"/> is null or one of the documented exceptions.</summary>
    internal static void AssertDocumented(Exception? error, object mutation)
    {
        // When an ML.NET transform after the embedding reads in parallel, ML.NET's splitter pulls the embedding's single
        // cursor on a worker thread and rethrows what it throws wrapped in its own InvalidOperationException; the
        // embedding's exception is then the inner one (found by a 1,500-attempt run: a graph that loads but fails to run).
        while (error is InvalidOperationException { InnerException: { } inner }
               && error.Message.StartsWith(SplitterMessage, StringComparison.Ordinal))
            error = inner;
        if (error is null or InvalidDataException) return;
        if (error is InvalidOperationException && error.Message.StartsWith("Encoder '", StringComparison.Ordinal)) return;
        // An edited column name gives a model that reads another column: applying it then fails the usual ML.NET way.
        if (error is ArgumentOutOfRangeException && error.Message.Contains("column", StringComparison.OrdinalIgnoreCase)) return;
        Assert.Fail($"{mutation}: undocumented {error.GetType().Name}: {error}");
    }
}
