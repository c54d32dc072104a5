using Microsoft.ML.Tokenizers;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Trainers.Tests.Encoders;

public class BertInputBatchTests
{
    private static readonly string ModelFolder = Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");

    private static BertTokenizer Tokenizer() =>
        BertTokenizer.Create(Path.Combine(ModelFolder, "vocab.txt"), new BertOptions { LowerCaseBeforeTokenization = true });

    [Fact]
    public void Create_PadsToLongestRow_MasksPadding_AndTruncatesWithSpecialsIncluded()
    {
        var texts = new[] { "a good film", "the most tedious , overlong and joyless two hours of the year , bar none", "ok" };
        var batch = BertInputBatch.Create(Tokenizer(), texts, 10);
        Assert.Equal(3, batch.BatchSize);
        Assert.Equal(10, batch.Length); // row 2 is truncated to the limit
        for (int r = 0; r < 3; r++)
        {
            var row = batch.InputIds.AsSpan(r * 10, 10).ToArray();
            var mask = batch.AttentionMask.AsSpan(r * 10, 10).ToArray();
            int n = (int)mask.Sum();
            Assert.Equal(2, row[0]); // [CLS]
            Assert.Equal(3, row[n - 1]); // [SEP] survives truncation
            Assert.All(row.Skip(n), id => Assert.Equal(0, id)); // [PAD] = 0
            Assert.All(mask.Take(n), m => Assert.Equal(1, m));
            Assert.All(mask.Skip(n), m => Assert.Equal(0, m));
        }
        Assert.All(batch.TokenTypeIds, t => Assert.Equal(0, t));
        var (ids, m2, types) = batch.ToTensors();
        Assert.Equal([3L, 10L], ids.shape);
        ids.Dispose(); m2.Dispose(); types.Dispose();
    }

    [Fact]
    public void Create_RejectsEmptyBatchNullTextAndTooSmallLimit()
    {
        var tok = Tokenizer();
        Assert.Throws<ArgumentException>(() => BertInputBatch.Create(tok, [], 8));
        Assert.Contains("Text 1", Assert.Throws<ArgumentException>(() => BertInputBatch.Create(tok, ["a", null!], 8)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BertInputBatch.Create(tok, ["a"], 1));
    }

    [Fact]
    public void SentenceEmbedder_IsBatchSizeIndependent_AndNormalizes()
    {
        using var encoder = BertCheckpoint.LoadFolder(ModelFolder);
        var texts = new[] { "a good film", "a dull , joyless film that never ends", "surprisingly moving", "meh" };
        var one = SentenceEmbedder.Embed(encoder, Tokenizer(), texts, batchSize: 1);
        var all = SentenceEmbedder.Embed(encoder, Tokenizer(), texts, batchSize: 64);
        for (int i = 0; i < texts.Length; i++)
            for (int j = 0; j < one[i].Length; j++) Assert.Equal(one[i][j], all[i][j], 4);
        var unit = SentenceEmbedder.Embed(encoder, Tokenizer(), texts, normalize: true);
        Assert.All(unit, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));
        var cls = SentenceEmbedder.Embed(encoder, Tokenizer(), texts, pooling: EmbeddingPooling.Cls);
        Assert.NotEqual(cls[0], one[0]);
        Assert.True(encoder.training); // the caller's mode is restored
    }
}
