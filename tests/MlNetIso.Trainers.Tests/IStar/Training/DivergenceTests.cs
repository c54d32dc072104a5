using Microsoft.ML;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Trainers.Tests.IStar.Training;

/// <summary>
/// Issue 13, row 4: I-STAR with λ = 1e300 or a learning rate of 1e30 used to "succeed" with NaN scores (1 epoch) or
/// blame the data ("Row 0 holds a non-finite value", 2 epochs). Now training stops at the step where the gradient or
/// the weights stop being finite, naming the epoch, the step and the option at fault.
/// </summary>
public class DivergenceTests
{
    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var mode in new[] { "head-only", "fine-tune" })
            foreach (var option in new[] { "Lambda", "LearningRate" })
                foreach (var epochs in new[] { 1, 2 })
                    data.Add(mode, option, epochs);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void HugeLambdaOrLearningRate_StopsAtTheDivergingStep_NamingTheOption(string mode, string option, int epochs)
    {
        var ml = new MLContext(1);
        var options = mode == "head-only"
            ? new IStarOptions { FeatureColumnName = "Features", HiddenSize = 8, BatchSize = 16, ReferencePoints = 1000 }
            : new IStarOptions
            {
                TextColumnName = "Text", EncoderPath = FineTuneTests.TinyEncoderFolder(), MaxTokens = 12, BatchSize = 8, ReferencePoints = 2000,
            };
        options.Epochs = epochs;
        options.Seed = 3;
        options.Lambda = option == "Lambda" ? 1e300 : -1;
        options.LearningRate = option == "LearningRate" ? 1e30 : 1e-3;
        var data = mode == "head-only"
            ? IStarTestData.Keyed(ml, IStarTestData.Blobs(20, 1)) // 60 rows: 4 steps per epoch
            : ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(FineTuneTests.Reviews(48, 1)))
                .Transform(ml.Data.LoadFromEnumerable(FineTuneTests.Reviews(48, 1))); // 6 steps per epoch

        var e = Assert.Throws<IStarDivergenceException>(() => ml.MulticlassClassification.Trainers.IStar(options).Fit(data));

        Assert.Equal(1, e.Epoch);
        // λ = 1e300 makes the first step's gradient infinite. lr = 1e30 gives finite weights of about 1e30 after the first
        // step; in the second, the encoder's forward pass overflows (fine-tune: the loss is NaN) or the weight decay
        // θ(1 − lr·0.01) does (head-only: tanh saturates, so the loss stays finite and the weights overflow).
        Assert.Equal(option == "Lambda" ? 1 : 2, e.Step);
        Assert.Equal(option == "Lambda" ? "gradient" : mode == "head-only" ? "weights" : "loss", e.Quantity);
        Assert.Contains($"epoch 1, step {e.Step} of", e.Message);
        var suspects = e.Message[e.Message.IndexOf("Options most likely at fault:", StringComparison.Ordinal)..];
        Assert.StartsWith(option == "Lambda" ? "Options most likely at fault: Lambda = 1E+300" : "Options most likely at fault: LearningRate = 1E+30",
            suspects);
        Assert.Contains("no model was returned", e.Message);
    }

    [Fact]
    public void OrdinaryTraining_IsNotStopped()
    {
        var ml = new MLContext(1);
        var options = new IStarOptions { FeatureColumnName = "Features", HiddenSize = 8, BatchSize = 16, Epochs = 3, Seed = 5, ReferencePoints = 1000 };
        using var model = ml.MulticlassClassification.Trainers.IStar(options).Fit(IStarTestData.Keyed(ml, IStarTestData.Blobs(20, 3)));
        Assert.All(model.TrainingHistory, m => Assert.True(double.IsFinite(m.Loss)));
    }
}
