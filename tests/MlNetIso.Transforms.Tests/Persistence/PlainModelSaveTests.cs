using Microsoft.ML;
using MlNetIso.Transforms.Tests.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Persistence;

/// <summary>
/// Issue 13, row 3: plain <c>mlContext.Model.Save</c> of a pipeline with a TempScale step. ML.NET creates the file before
/// any step runs (ModelOperationsCatalog.Save calls File.Create first), so no public route can refuse in time; the
/// exception says the file was overwritten, and LoadPackaged on the leftover says what happened.
/// </summary>
public sealed class PlainModelSaveTests
{
    [Fact]
    public void PlainSave_SaysTheFileWasOverwritten_AndLoadPackagedExplainsTheLeftover()
    {
        var encoder = new TestEncoderFolder(seed: 31);
        var ml = new MLContext(1);
        var data = Texts(ml, ["a good film", "bad"]);
        using var model = ml.Transforms.Text.ApplyTempScaleEmbedding("E", encoder.ModelPath, "Text").Fit(data);
        var path = Path.Combine(TestPaths.NewTempDir(), "model.zip");
        ml.Model.SavePackaged(model, data.Schema, path);
        var good = new FileInfo(path).Length;

        var error = Record.Exception(() => ml.Model.Save(model, data.Schema, path));
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains(Chain(error), e => e is NotSupportedException);
        Assert.Contains("a model previously saved at that path has been overwritten", messages);
        Assert.Contains("SavePackaged", messages);

        // The good package really is gone: ML.NET replaced it with the start of a plain model.
        Assert.True(new FileInfo(path).Length < good, $"{new FileInfo(path).Length} bytes remain of {good}");
        var leftover = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPackaged(path, out _)).Message;
        Assert.Contains("incomplete file a failed mlContext.Model.Save left behind", leftover);
        Assert.Contains("has been overwritten", leftover);
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }
}
