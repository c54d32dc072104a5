using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Onnx.Proto;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>Unusual texts: missing, empty, control characters, non-BMP, and very long.</summary>
public sealed class TempScaleEmbeddingInputTests
{
    private static readonly EncoderFolder Encoder = new();

    private static List<float[]> Embed(IEnumerable<string?> texts, Action<TextEmbeddingOptions>? configure = null)
    {
        var ml = new MLContext(1);
        var data = Texts(ml, texts);
        var options = Encoder.Options();
        configure?.Invoke(options);
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        return ReadVectors(transformer.Transform(data), "Embedding");
    }

    [Fact]
    public void NullAndEmptyTextsAreEmbeddedAsClsSep()
    {
        var result = Embed([null, "", "   ", "good"]);
        using var reference = new ReferenceEmbedder(Encoder.ModelBytes);
        var tokenizer = Encoder.Tokenizer();
        var clsSep = reference.Embed([[tokenizer.ClsId, tokenizer.SepId]]);
        for (var i = 0; i < 3; i++) AssertClose(clsSep, result[i], 1e-5, $"row {i}");
        Assert.NotEqual(result[0], result[3]);
    }

    [Fact]
    public void ControlCharactersAreRemovedLikeHuggingFace()
    {
        var result = Embed(["\u0000\u0007good\u001f movie\u200b", "good movie"]);
        AssertClose(result[1], result[0], 1e-6, "control characters");
    }

    [Fact]
    public void NonBmpAndCjkTextGivesFiniteReferenceEmbeddings()
    {
        string[] texts = ["😀 good 日本", "𝔘𝔫𝔨𝔫𝔬𝔴𝔫 \U0001F600\U0001F600 movie", "\uD800 lone surrogate"];
        var result = Embed(texts);
        using var reference = new ReferenceEmbedder(Encoder.ModelBytes);
        var tokenizer = Encoder.Tokenizer();
        Assert.Contains(5 + Array.IndexOf(EncoderFolder.Words, "😀"), tokenizer.Encode(texts[0], 64));
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.All(result[i], v => Assert.True(float.IsFinite(v)));
            AssertClose(reference.Embed([tokenizer.Encode(texts[i], 64)]), result[i], 1e-5, $"row {i}");
        }
    }

    [Fact]
    public void OneMegabyteTextIsTruncatedQuicklyOrChunkedCompletely()
    {
        var big = string.Concat(Enumerable.Repeat("the movie was really good and fun. ", 1_048_576 / 35 + 1));
        Assert.True(big.Length >= 1_048_576);

        var watch = Stopwatch.StartNew();
        var truncated = Embed([big, "short"]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"Truncate took {watch.Elapsed}.");
        var prefix = Embed([string.Concat(Enumerable.Repeat("the movie was really good and fun. ", 10))]);
        AssertClose(prefix[0], truncated[0], 1e-5, "a truncated text equals its first 64 tokens");

        watch.Restart();
        var chunked = Embed([big], o =>
        {
            o.LongText = LongTextMode.Chunk;
            o.ChunkOverlap = 0;
            o.BatchSize = 64;
        });
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"Chunk took {watch.Elapsed}.");
        Assert.All(chunked[0], v => Assert.True(float.IsFinite(v)));
        Assert.True(Math.Abs(chunked[0].Sum(v => v * v) - 1) < 1e-4);
        Assert.NotEqual(truncated[0], chunked[0]);
    }

    [Fact]
    public void LowerCasingFollowsTokenizerConfigUnlessSet()
    {
        var folder = new EncoderFolder(seed: 8);
        File.WriteAllText(Path.Combine(folder.Folder, "tokenizer_config.json"), """{ "do_lower_case": false }""");
        var ml = new MLContext(1);
        var data = Texts(ml, ["GOOD Movie", "good movie"]);

        List<float[]> Run(bool? lowerCase)
        {
            var options = folder.Options();
            options.LowerCase = lowerCase;
            using var t = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(data);
            return ReadVectors(t.Transform(data), "E");
        }

        var cased = Run(null);
        Assert.NotEqual(cased[0], cased[1]);
        var lowered = Run(true);
        AssertClose(lowered[1], lowered[0], 1e-6, "explicit LowerCase = true");
    }
}

/// <summary>Bad models, vocabularies, options and columns: clear exceptions naming the file, column or setting.</summary>
public sealed class TempScaleEmbeddingErrorTests
{
    private static readonly EncoderFolder Encoder = new();

    private static Exception FitError(TextEmbeddingOptions options, string column = "Text")
    {
        var ml = new MLContext(1);
        var data = Texts(ml, ["good"]);
        return Record.Exception(() =>
        {
            using var t = ml.Transforms.Text.ApplyTempScaleEmbedding("E", column, options).Fit(data);
        })!;
    }

    [Fact]
    public void MissingModelNamesTheFile()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "missing.onnx");
        var e = Assert.IsType<FileNotFoundException>(FitError(new TextEmbeddingOptions { ModelPath = path }));
        Assert.Contains("missing.onnx", e.Message);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("truncated")]
    [InlineData("text")]
    public void CorruptModelNamesTheFile(string kind)
    {
        var folder = new EncoderFolder();
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
    public void MissingVocabularyNamesTheFile()
    {
        var folder = new EncoderFolder();
        File.Delete(folder.VocabPath);
        var e = Assert.IsType<FileNotFoundException>(FitError(folder.Options()));
        Assert.Contains("vocab.txt", e.Message);
    }

    [Fact]
    public void VocabularyLargerThanTheEmbeddingTableIsRejected()
    {
        var folder = new EncoderFolder(vocabRows: 20);
        var e = Assert.IsType<InvalidDataException>(FitError(folder.Options()));
        Assert.Contains("20 rows", e.Message);
        Assert.Contains("vocab.txt", e.Message);
    }

    [Fact]
    public void ExternalDataOutsideTheModelFolderIsRefusedAndInsideIsInlined()
    {
        var folder = new EncoderFolder();
        var model = ModelProto.Parser.ParseFrom(folder.ModelBytes);
        var table = model.Graph.Initializer.First(t => t.Dims.Count == 2 && t.Dims[0] == EncoderFolder.Vocabulary.Length);
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
    public void TemperatureMustBePositiveAndFinite(float temperature)
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Text.ApplyTempScaleEmbedding("E", Encoder.ModelPath, "Text", temperature: temperature));
        Assert.Contains("Temperature", e.Message);
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        var ml = new MLContext(1);
        Assert.Contains("ModelPath", Assert.Throws<ArgumentException>(() =>
            ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", new TextEmbeddingOptions())).Message);
        Assert.Contains("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", new TextEmbeddingOptions { ModelPath = "m", BatchSize = 0 })).Message);
        var overlap = Encoder.Options();
        overlap.LongText = LongTextMode.Chunk;
        overlap.MaxTokens = 10;
        overlap.ChunkOverlap = 8;
        Assert.Contains("ChunkOverlap", Assert.IsType<ArgumentException>(FitError(overlap)).Message);
    }

    [Fact]
    public void MissingOrNonTextColumnIsNamedAtFit()
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
    public void CudaWithoutTheGpuPackageFailsClearly()
    {
        var options = Encoder.Options();
        options.ExecutionProvider = EmbeddingExecutionProvider.Cuda;
        var e = Assert.IsType<InvalidOperationException>(FitError(options));
        Assert.Contains("CUDA", e.Message);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", e.Message);
    }
}
