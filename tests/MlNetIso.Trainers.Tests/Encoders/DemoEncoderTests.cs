using Microsoft.ML.Tokenizers;
using MlNetIso.Onnx.Bert;
using MlNetIso.Tools.TrainDemoEncoder;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Transforms.Embedding;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Encoders;

/// <summary>The committed demo encoder under models/mlnetiso-mini loads in TorchSharp and ONNX Runtime, agrees, and beats random.</summary>
public class DemoEncoderTests
{
    private static string Folder => Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");

    private static BertTokenizer Tokenizer() =>
        BertTokenizer.Create(Path.Combine(Folder, "vocab.txt"), new BertOptions { LowerCaseBeforeTokenization = true });

    [Fact]
    public void Vocabulary_HasBertSpecialTokensAndTokenizesText()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "vocab.txt"));
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], lines.Take(5));
        Assert.Equal(lines.Length, lines.Distinct().Count());
        var config = BertConfig.Load(Path.Combine(Folder, "config.json"));
        Assert.Equal(lines.Length, config.VocabSize);
        var tokenizer = Tokenizer();
        var ids = tokenizer.EncodeToIds("A thoroughly ENJOYABLE film, with unexpectedly moving moments!", 64, out _, out _);
        Assert.Equal(2, ids[0]);
        Assert.Equal(3, ids[^1]);
        Assert.DoesNotContain(1, ids); // no [UNK] for ordinary English
        Assert.Contains(ids, id => lines[id].StartsWith("##", StringComparison.Ordinal) || lines[id].Length > 1);
    }

    [Fact]
    public void CommittedFolder_TorchSharpAndOnnxRuntimeGiveSameEmbeddings()
    {
        using var encoder = BertCheckpoint.LoadFolder(Folder);
        encoder.eval();
        var texts = new[] { "the movie was wonderful .", "a dull , lifeless and far too long mess", "ok", "unexpectedly moving , with a superb cast and a script that never lets up" };
        var batch = BertInputBatch.Create(Tokenizer(), texts, 64);
        long[] shape = [batch.BatchSize, batch.Length];
        var torchStates = TinyConfigs.LastHidden(encoder, (batch.InputIds, batch.AttentionMask, batch.TokenTypeIds, shape));
        var onnx = File.ReadAllBytes(Path.Combine(Folder, "model.onnx"));
        var ortStates = OnnxExportTests.RunOnnx(onnx, batch.InputIds, batch.AttentionMask, batch.TokenTypeIds, shape);
        Assert.Equal(torchStates.Length, ortStates.Length);
        double maxDiff = torchStates.Zip(ortStates).Max(t => Math.Abs(t.First - t.Second));
        Assert.True(maxDiff <= 1e-4, $"max |TorchSharp − ORT| = {maxDiff:E2}");
        // mean-pooled embeddings agree too
        using var h1 = tensor(ortStates, [batch.BatchSize, batch.Length, encoder.Config.HiddenSize]);
        using var h2 = tensor(torchStates, [batch.BatchSize, batch.Length, encoder.Config.HiddenSize]);
        using var m = tensor(batch.AttentionMask, shape);
        using var p1 = EncoderPooling.Pool(h1, m, EmbeddingPooling.Mean);
        using var p2 = EncoderPooling.Pool(h2, m, EmbeddingPooling.Mean);
        Assert.True((p1 - p2).abs().max().item<float>() <= 1e-4f);
    }

    [Fact]
    public void TrainedEncoder_BeatsRandomEncoderOnSentimentProbe()
    {
        var corpus = DemoCorpus.Load(Path.Combine(TestPaths.RepoRoot, "data"));
        var rng = new Random(3);
        var train = corpus.SentimentTrain.OrderBy(_ => rng.Next()).Take(1200).ToList();
        var test = corpus.SentimentTest.OrderBy(_ => rng.Next()).Take(600).ToList();
        var tokenizer = Tokenizer();
        double Accuracy(BertEncoder e)
        {
            var trainX = SentenceEmbedder.Embed(e, tokenizer, train.Select(t => t.Text).ToList(), maxLength: 64);
            var testX = SentenceEmbedder.Embed(e, tokenizer, test.Select(t => t.Text).ToList(), maxLength: 64);
            return SentimentProbe.Accuracy(trainX, train.Select(t => t.Positive).ToList(), testX, test.Select(t => t.Positive).ToList());
        }
        using var trained = BertCheckpoint.LoadFolder(Folder);
        manual_seed(99);
        using var random = new BertEncoder(trained.Config);
        double trainedAcc = Accuracy(trained), randomAcc = Accuracy(random);
        Assert.True(trainedAcc >= randomAcc + 0.03, $"trained {trainedAcc:P1} vs random {randomAcc:P1}");
    }
}
