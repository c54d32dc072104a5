using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Training;
using TorchSharp;

namespace MlNetIso.Trainers.Tests.IStar.Training;

/// <summary>
/// TorchSharp threads of a fit: the measured default (1) unless <see cref="IStarOptions.NumberOfThreads"/> says
/// otherwise, and libtorch's process-wide setting put back afterwards (this assembly runs its tests serially).
/// </summary>
public sealed class TorchThreadsTests
{
    private static IStarOptions Tiny(int? threads) => new()
    {
        FeatureColumnName = "Features", HiddenSize = 8, Epochs = 1, BatchSize = 16, Seed = 7, ReferencePoints = 1000,
        NumberOfThreads = threads,
    };

    [Theory]
    [InlineData(null, TorchThreads.Default)]
    [InlineData(2, 2)]
    public void Fit_RunsOnTheResolvedThreads_AndRestoresTheProcessSetting(int? requested, int expected)
    {
        int before = torch.get_num_threads();
        int outside = before == 3 ? 4 : 3; // a value no fit uses, to see it come back
        torch.set_num_threads(outside);
        try
        {
            var ml = new MLContext(1);
            var messages = new List<string>();
            ml.Log += (_, e) =>
            {
                if (e.Kind == ChannelMessageKind.Info) lock (messages) messages.Add(e.RawMessage);
            };
            var data = IStarTestData.Keyed(ml, IStarTestData.Blobs(20, 1));
            using (ml.MulticlassClassification.Trainers.IStar(Tiny(requested)).Fit(data)) { }
            Assert.Contains(messages, m => m.Contains($"{expected} TorchSharp thread(s)", StringComparison.Ordinal));
            Assert.Equal(outside, torch.get_num_threads());
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    [Fact]
    public void Use_SetsAndRestores()
    {
        int before = torch.get_num_threads();
        using (TorchThreads.Use(before + 1))
            Assert.Equal(before + 1, torch.get_num_threads());
        Assert.Equal(before, torch.get_num_threads());
    }
}
