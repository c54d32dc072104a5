using System.Text;
using MlNetIso.Transforms.Embedding.Tokenization;

namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>Small in-memory vocabularies for behaviour tests.</summary>
internal static class TestVocab
{
    public static MemoryStream Stream(params string[] lines) =>
        new(new UTF8Encoding(false).GetBytes(string.Join('\n', lines) + "\n"));

    public static BertTextTokenizer Create(BertTextTokenizerOptions? options, params string[] lines) =>
        BertTextTokenizer.Create(Stream(lines), options);

    public static readonly string[] Basic = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "foo", "bar", "##s", "."];
}
