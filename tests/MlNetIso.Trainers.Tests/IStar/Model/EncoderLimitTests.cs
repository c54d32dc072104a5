using Microsoft.ML;
using MlNetIso.Trainers.IStar;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Trainers.Tests.IStar.Model;

/// <summary>
/// Issue 13, item 5, for I-STAR fine-tuning: a MaxTokens beyond the encoder's position table, or a vocabulary with more
/// tokens than its word-embedding table, fails when the trainer is created, naming the limit, instead of failing (or
/// not) inside libtorch at the first long batch.
/// </summary>
public class EncoderLimitTests
{
    [Fact]
    public void MaxTokensAboveMaxPositionEmbeddings_FailsWhenTheTrainerIsCreated()
    {
        var folder = FineTuneTests.TinyEncoderFolder(); // max_position_embeddings 32
        var ml = new MLContext(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.MulticlassClassification.Trainers.IStar(new IStarOptions { TextColumnName = "Text", EncoderPath = folder, MaxTokens = 33 }));
        Assert.Equal("MaxTokens", error.ParamName);
        Assert.Contains("exceeds the 32 positions of the encoder", error.Message);
        Assert.Contains("config.json", error.Message);
        _ = ml.MulticlassClassification.Trainers.IStar(new IStarOptions { TextColumnName = "Text", EncoderPath = folder, MaxTokens = 32 });
    }

    [Fact]
    public void VocabularyLargerThanVocabSize_FailsWhenTheTrainerIsCreated()
    {
        var folder = FineTuneTests.TinyEncoderFolder();
        var vocab = File.ReadAllText(Path.Combine(folder, EncoderFolder.VocabularyFileName));
        File.WriteAllText(Path.Combine(folder, EncoderFolder.VocabularyFileName), vocab + "extra1\nextra2\n");
        var error = Assert.Throws<InvalidDataException>(() => new MLContext(1).MulticlassClassification.Trainers.IStar(
            new IStarOptions { TextColumnName = "Text", EncoderPath = folder, MaxTokens = 16 }));
        Assert.Contains("does not belong to this encoder", error.Message);
    }
}
