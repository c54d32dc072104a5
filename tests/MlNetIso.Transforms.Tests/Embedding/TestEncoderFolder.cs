using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Embedding.Tokenization;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Transforms.Tests.Onnx.Bert;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// A tiny random BERT encoder in the Hugging Face folder layout (model.onnx + vocab.txt, optionally config.json and
/// tokenizer_config.json), written with <see cref="BertOnnxWriter"/> and <see cref="EncoderFolder.Write"/>: hidden 16,
/// 2 heads, 2 layers.
/// </summary>
internal sealed class TestEncoderFolder
{
    public static readonly string[] Words =
    [
        "the", "a", "movie", "film", "was", "is", "good", "bad", "great", "terrible", "plot", "actor", "actors",
        "story", "and", "but", "not", "very", "really", "boring", "fun", "long", "short", "scene", "music", "end",
        "i", "it", "this", "that", "hello", "world", "cafe", "de", "la", "##s", "##ing", "##ed", ".", ",", "!", "?",
        "😀", "日", "本",
    ];

    public static readonly string[] Vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Words];

    public string Folder { get; }
    public string ModelPath => Path.Combine(Folder, "model.onnx");
    public string VocabPath => Path.Combine(Folder, "vocab.txt");
    public byte[] ModelBytes { get; }

    public TestEncoderFolder(int seed = 7, int maxPositions = 64, bool sentenceEmbedding = false, int? vocabRows = null,
        bool writeConfig = true)
    {
        Folder = TestPaths.NewTempDir();
        var config = TinyBert.Config(hidden: 16, heads: 2, layers: 2, intermediate: 32, vocab: vocabRows ?? Vocabulary.Length)
            with { MaxPositionEmbeddings = maxPositions };
        ModelBytes = BertOnnxWriter.Write(config, TinyBert.Weights(config, seed),
            new BertOnnxWriterOptions { IncludeSentenceEmbedding = sentenceEmbedding });
        EncoderFolder.Write(Folder, new EncoderFolderContent
        {
            OnnxModel = ModelBytes,
            Vocabulary = Encoding.UTF8.GetBytes(string.Join('\n', Vocabulary) + "\n"),
            Config = writeConfig ? config : null,
        });
    }

    public TempScaleEmbeddingOptions Options(float temperature = 1f) => new() { ModelPath = ModelPath, Temperature = temperature };

    public BertTextTokenizer Tokenizer(bool lowerCase = true) =>
        BertTextTokenizer.Create(VocabPath, new BertTextTokenizerOptions { LowerCase = lowerCase });

    /// <summary>Texts of very different lengths built from the vocabulary (deterministic).</summary>
    public static string[] MixedTexts(int count, int seed, int maxWords = 40)
    {
        var rng = new Random(seed);
        var plain = Words.Where(w => !w.StartsWith("##", StringComparison.Ordinal)).ToArray();
        return Enumerable.Range(0, count)
            .Select(i => string.Join(' ', Enumerable.Range(0, rng.Next(i % 3 == 0 ? 0 : 1, maxWords)).Select(_ => plain[rng.Next(plain.Length)])))
            .ToArray();
    }
}
