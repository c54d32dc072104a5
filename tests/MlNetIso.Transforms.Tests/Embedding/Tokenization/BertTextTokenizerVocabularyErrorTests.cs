using System.Text;
using MlNetIso.Transforms.Embedding.Tokenization;

namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>Vocabulary problems give clear exceptions that name the file.</summary>
public sealed class BertTextTokenizerVocabularyErrorTests
{
    [Fact]
    public void MissingFile_ThrowsFileNotFoundNamingIt()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "no-such-vocab.txt");
        var e = Assert.Throws<FileNotFoundException>(() => BertTextTokenizer.Create(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void EmptyFile_ThrowsInvalidDataNamingIt()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "empty-vocab.txt");
        File.WriteAllText(path, "");
        var e = Assert.Throws<InvalidDataException>(() => BertTextTokenizer.Create(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[CLS]")]
    [InlineData("[SEP]")]
    [InlineData("[PAD]")]
    [InlineData("[UNK]")]
    public void MissingRequiredSpecialToken_ThrowsNamingFileAndToken(string missing)
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "vocab.txt");
        File.WriteAllLines(path, TestVocab.Basic.Where(t => t != missing));
        var e = Assert.Throws<InvalidDataException>(() => BertTextTokenizer.Create(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamProblems_NameTheStream()
    {
        var e = Assert.Throws<InvalidDataException>(() => BertTextTokenizer.Create(new MemoryStream()));
        Assert.Contains("stream", e.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<InvalidDataException>(() => BertTextTokenizer.Create(
            new MemoryStream([.. Encoding.ASCII.GetBytes("[PAD]\n[UNK]\n"), 0xFF, 0xFE, (byte)'\n'])));
        Assert.Contains("UTF-8", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullArguments_AreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => BertTextTokenizer.Create((Stream)null!));
        Assert.ThrowsAny<ArgumentException>(() => BertTextTokenizer.Create((string)null!));
    }
}
