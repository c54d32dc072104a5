using Google.Protobuf;
using Microsoft.ML;
using MlNetIso.Onnx.Proto;
using MlNetIso.Transforms.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>Bad models, vocabularies, options and columns: clear exceptions naming the file, column or setting.</summary>
public sealed class TempScaleEmbeddingErrorTests
{
    private static readonly TestEncoderFolder Encoder = new();

    private static Exception FitError(TempScaleEmbeddingOptions options, string column = "Text")
    {
        var ml = new MLContext(1);
        var data = Texts(ml, ["good"]);
        return Record.Exception(() =>
        {
            using var t = ml.Transforms.Text.ApplyTempScaleEmbedding("E", column, options).Fit(data);
        })!;
    }

    [Fact]
    public void MissingModel_NamesTheFile()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "missing.onnx");
        var e = Assert.IsType<FileNotFoundException>(FitError(new TempScaleEmbeddingOptions { ModelPath = path }));
        Assert.Contains("missing.onnx", e.Message);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("truncated")]
    [InlineData("text")]
    public void CorruptModel_NamesTheFile(string kind)
    {
        var folder = new TestEncoderFolder();
        var bytes = kind switch
        {
            "random" => Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray(),
            "truncated" => folder.ModelBytes[..(folder.ModelBytes.Length / 2)],
            _ => "this is not an onnx model"u8.ToArray(),
        };
        File.WriteAllBytes(folder.ModelPath, bytes);
        var e = Assert.IsType<InvalidDataException>(FitError(folder.Options()));
        Assert.Contains(folder.ModelPath, e.Message);
    }

    [Fact]
    public void MissingVocabulary_NamesTheFile()
    {
        var folder = new TestEncoderFolder();
        File.Delete(folder.VocabPath);
        var e = Assert.IsType<FileNotFoundException>(FitError(folder.Options()));
        Assert.Contains("vocab.txt", e.Message);
    }

    [Fact]
    public void VocabularyWithoutSpecialTokens_NamesTheFile()
    {
        var folder = new TestEncoderFolder();
        File.WriteAllLines(folder.VocabPath, ["hello", "world"]);
        var e = Assert.IsType<InvalidDataException>(FitError(folder.Options()));
        Assert.Contains(folder.VocabPath, e.Message);
    }

    [Fact]
    public void VocabularyLargerThanTheEmbeddingTable_IsRejected()
    {
        var folder = new TestEncoderFolder(vocabRows: 20);
        var e = Assert.IsType<InvalidDataException>(FitError(folder.Options()));
        Assert.Contains("20 rows", e.Message);
        Assert.Contains("vocab.txt", e.Message);
    }

    [Fact]
    public void ExternalDataOutsideTheModelFolder_IsRefusedAndInsideIsInlined()
    {
        var folder = new TestEncoderFolder();
        var model = ModelProto.Parser.ParseFrom(folder.ModelBytes);
        var table = model.Graph.Initializer.First(t => t.Dims.Count == 2 && t.Dims[0] == TestEncoderFolder.Vocabulary.Length);
        var raw = table.RawData.ToByteArray();
        if (raw.Length == 0)
        {
            raw = table.FloatData.SelectMany(BitConverter.GetBytes).ToArray();
            table.FloatData.Clear();
        }
        File.WriteAllBytes(Path.Combine(folder.Folder, "weights.bin"), raw);
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(folder.Folder)!, "outside.bin"), raw);
        table.RawData = ByteString.Empty;
        table.DataLocation = TensorProto.Types.DataLocation.External;
        table.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });

        File.WriteAllBytes(folder.ModelPath, model.ToByteArray());
        var ml = new MLContext(1);
        var data = Texts(ml, ["good movie"]);
        using (var inside = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", folder.Options()).Fit(data))
        {
            using var reference = new ReferenceEmbedder(folder.ModelBytes);
            AssertClose(reference.Embed([folder.Tokenizer().Encode("good movie", 64)]), ReadVectors(inside.Transform(data), "E")[0],
                1e-5, "external data inside the folder");
        }

        table.ExternalData[0].Value = "../outside.bin";
        File.WriteAllBytes(folder.ModelPath, model.ToByteArray());
        var e = Assert.IsType<InvalidDataException>(FitError(folder.Options()));
        Assert.Contains("outside", e.Message);
        Assert.Contains(folder.ModelPath, e.Message);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Temperature_MustBePositiveAndFinite(float temperature)
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Text.ApplyTempScaleEmbedding("E", Encoder.ModelPath, "Text", temperature: temperature));
        Assert.Contains("Temperature", e.Message);
    }

    [Fact]
    public void InvalidOptions_AreNamed()
    {
        var ml = new MLContext(1);
        Assert.Contains("ModelPath", Assert.Throws<ArgumentException>(() =>
            ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", new TempScaleEmbeddingOptions())).Message);
        Assert.Contains("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", new TempScaleEmbeddingOptions { ModelPath = "m", BatchSize = 0 })).Message);
        var overlap = Encoder.Options();
        overlap.LongText = LongTextMode.Chunk;
        overlap.MaxTokens = 10;
        overlap.ChunkOverlap = 8;
        Assert.Contains("ChunkOverlap", Assert.IsType<ArgumentOutOfRangeException>(FitError(overlap)).Message);
    }

    [Fact]
    public void MissingOrNonTextColumn_IsNamedAtFit()
    {
        Assert.Contains("'Nope'", Assert.IsType<ArgumentOutOfRangeException>(FitError(Encoder.Options(), "Nope")).Message);
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new LabeledTextRow { Text = "a", Label = true } });
        var estimator = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Label", Encoder.Options());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("must be text", e.Message);
        using var fitted = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", Encoder.Options()).Fit(data);
        var other = ml.Data.LoadFromEnumerable(new[] { new EmbeddingRow() });
        Assert.Contains("'Text'", Assert.Throws<ArgumentOutOfRangeException>(() => fitted.Transform(other)).Message);
    }

    [Fact]
    public void CudaWithoutTheGpuPackage_FailsClearly()
    {
        var options = Encoder.Options();
        options.ExecutionProvider = EmbeddingExecutionProvider.Cuda;
        var e = Assert.IsType<InvalidOperationException>(FitError(options));
        Assert.Contains("CUDA", e.Message);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", e.Message);
    }
}
