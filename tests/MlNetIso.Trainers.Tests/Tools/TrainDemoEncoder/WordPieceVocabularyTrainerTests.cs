using Microsoft.ML.Tokenizers;
using MlNetIso.Tools.TrainDemoEncoder;

namespace MlNetIso.Trainers.Tests.Tools.TrainDemoEncoder;

public class WordPieceVocabularyTrainerTests
{
    private static readonly string[] Corpus =
    [
        "the film is funny , the film is moving .", "a funny and moving film !", "the cast is great",
        "funnier than expected ; moving , really moving", "the films were great fun",
    ];

    [Fact]
    public void Train_PutsSpecialsFirstThenAlphabetThenFrequentMerges()
    {
        int alphabet = Corpus.SelectMany(t => t.Replace(" ", "", StringComparison.Ordinal)).Distinct().Count();
        int size = 5 + 2 * alphabet + 30;
        var vocab = WordPieceVocabularyTrainer.Train(Corpus, size);
        Assert.Equal(size, vocab.Count);
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], vocab.Take(5));
        Assert.Contains("f", vocab);
        Assert.Contains("##m", vocab);
        Assert.Contains(",", vocab);
        Assert.Equal(vocab.Count, vocab.Distinct().Count());
        Assert.Contains("the", vocab); // frequent words are merged within 30 merges
        Assert.Contains("film", vocab);
        Assert.Contains("moving", vocab);
        Assert.DoesNotContain("expected", vocab); // a word seen once is not
        Assert.Equal(vocab, WordPieceVocabularyTrainer.Train(Corpus, size)); // deterministic
    }

    [Fact]
    public void Vocabulary_IsReadableByBertTokenizerAndCoversTheCorpus()
    {
        var vocab = WordPieceVocabularyTrainer.Train(Corpus, 80);
        var path = Path.Combine(TestPaths.NewTempDir(), "vocab.txt");
        File.WriteAllLines(path, vocab);
        var tokenizer = BertTokenizer.Create(path, new BertOptions { LowerCaseBeforeTokenization = true });
        var ids = tokenizer.EncodeToIds("The FILM is funny!", 32, out _, out _);
        Assert.Equal("[CLS]", vocab[ids[0]]);
        Assert.Equal("[SEP]", vocab[ids[^1]]);
        Assert.DoesNotContain(vocab.IndexOf("[UNK]"), ids);
        var pieces = ids.Skip(1).SkipLast(1).Select(i => vocab[i].Replace("##", "", StringComparison.Ordinal));
        Assert.Equal("thefilmisfunny!", string.Concat(pieces));
    }

    [Fact]
    public void PreTokenize_SplitsWhitespaceAndPunctuationAndLowercases()
    {
        Assert.Equal(["it", "'", "s", "great", "!", "(", "really", ")"], WordPieceVocabularyTrainer.PreTokenize("It's GREAT! (really)"));
    }
}
