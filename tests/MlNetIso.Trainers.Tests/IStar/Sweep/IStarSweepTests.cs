using Microsoft.ML;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Sweep;

namespace MlNetIso.Trainers.Tests.IStar.Sweep;

/// <summary>The cross-validated I-STAR sweep: candidates, folds, determinism, and that it finds the best candidate.</summary>
public sealed class IStarSweepTests
{
    private static IStarOptions Head() => new()
    {
        FeatureColumnName = "Features", HiddenSize = 8, Epochs = 4, BatchSize = 16, LearningRate = 1e-2, ReferencePoints = 1000,
    };

    [Fact]
    public void Grid_PicksTheKnownBestCandidateAndReportsEveryCandidate()
    {
        // A learning rate of 1e-6 cannot move the head in 4 epochs; 3e-2 separates the blobs. Whatever λ does, the best
        // candidate must have the working learning rate, and its cross-validated accuracy must be high.
        var ml = new MLContext(1);
        var data = IStarTestData.Keyed(ml, IStarTestData.Blobs(30, 3));
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains("IStarSweep")) lock (messages) messages.Add(e.Message); };
        var result = ml.MulticlassClassification.SweepIStar(data, new IStarSweepOptions
        {
            BaseOptions = Head(),
            Parameters = ["Lambda", "LearningRate"],
            Values = new Dictionary<string, double[]> { ["Lambda"] = [-1, 0, 1], ["LearningRate"] = [1e-6, 3e-2] },
            Folds = 3,
            Seed = 5,
        });

        Assert.Equal(6, result.Candidates.Count);
        Assert.Equal<object>([-1.0, 1e-6], result.Candidates[0].Values.Values);    // the first parameter varies slowest
        Assert.Equal<object>([-1.0, 3e-2], result.Candidates[1].Values.Values);
        Assert.All(result.Candidates, c => Assert.Equal(3, c.FoldScores.Count));
        Assert.Equal(3e-2, (double)result.Best.Values["LearningRate"]);
        Assert.True(result.Best.MeanScore > 0.9, $"best accuracy {result.Best.MeanScore}");
        double slowBest = result.Candidates.Where(c => (double)c.Values["LearningRate"] == 1e-6).Max(c => c.MeanScore);
        Assert.True(result.Best.MeanScore > slowBest + 0.2, $"best {result.Best.MeanScore} vs lr 1e-6 {slowBest}");
        Assert.Equal(result.Candidates.Max(c => c.MeanScore), result.Best.MeanScore);
        Assert.Equal(((double)result.Best.Values["Lambda"], 3e-2, "Features", 4), (result.BestOptions.Lambda, result.BestOptions.LearningRate,
            result.BestOptions.FeatureColumnName, result.BestOptions.Epochs));
        Assert.Contains(messages, m => m.Contains("6 candidate(s) over Lambda, LearningRate, 3-fold stratified cross-validation"));
        Assert.Contains(messages, m => m.Contains("I-STAR sweep best: Lambda=", StringComparison.Ordinal));
    }

    [Fact]
    public void Sweep_IsDeterministicForASeed()
    {
        var ml = new MLContext(1);
        var data = IStarTestData.Keyed(ml, IStarTestData.Blobs(12, 4, spread: 1.5f));
        IStarSweepResult Sweep(int seed, IStarSweepStrategy strategy) => new MLContext(seed).MulticlassClassification.SweepIStar(data, new IStarSweepOptions
        {
            BaseOptions = Head(), Strategy = strategy, Candidates = 2, Folds = 2, Seed = seed,
        });
        foreach (var strategy in new[] { IStarSweepStrategy.Random, IStarSweepStrategy.LatinHypercube })
        {
            var a = Sweep(11, strategy);
            var b = Sweep(11, strategy);
            Assert.Equal(a.Candidates.Select(c => c.Describe()), b.Candidates.Select(c => c.Describe()));
            Assert.Equal(a.Candidates.Select(c => c.FoldScores), b.Candidates.Select(c => c.FoldScores));
            Assert.Equal(a.Best.Describe(), b.Best.Describe());
            Assert.NotEqual(a.Candidates.Select(c => c.Describe()), Sweep(12, strategy).Candidates.Select(c => c.Describe()));
            Assert.All(a.Candidates, c =>
            {
                Assert.InRange((double)c.Values["Lambda"], -5, 5);
                Assert.InRange((double)c.Values["Zeta"], 0, 1);
            });
        }
    }

    [Fact]
    public void LatinHypercube_UsesEveryStratumOfEachCoordinateOnce()
    {
        var ml = new MLContext(1);
        var data = IStarTestData.Keyed(ml, IStarTestData.Blobs(10, 4));
        var result = ml.MulticlassClassification.SweepIStar(data, new IStarSweepOptions
        {
            BaseOptions = Head(), Parameters = ["Lambda", "Zeta"], Strategy = IStarSweepStrategy.LatinHypercube, Candidates = 4, Folds = 2, Seed = 3,
        });
        // Lambda ∈ [−5, 5] cut into 4 strata of width 2.5, Zeta ∈ [0, 1] into 4 of width 0.25: each stratum holds one candidate.
        Assert.Equal([0, 1, 2, 3], result.Candidates.Select(c => (int)(((double)c.Values["Lambda"] + 5) / 2.5)).Order());
        Assert.Equal([0, 1, 2, 3], result.Candidates.Select(c => Math.Min((int)((double)c.Values["Zeta"] / 0.25), 3)).Order());
    }

    [Fact]
    public void StratifiedFolds_KeepLabelProportionsAndBalancedSizes()
    {
        var labels = Enumerable.Range(0, 103).Select(i => i < 60 ? 0 : i < 90 ? 1 : 2).ToArray();
        var folds = StratifiedFolds.Assign(labels, 5, 9);
        Assert.Equal(folds, StratifiedFolds.Assign(labels, 5, 9));
        Assert.NotEqual(folds, StratifiedFolds.Assign(labels, 5, 10));
        var sizes = Enumerable.Range(0, 5).Select(k => folds.Count(f => f == k)).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
        foreach (int label in new[] { 0, 1, 2 })
        {
            int total = labels.Count(l => l == label);
            var perFold = Enumerable.Range(0, 5).Select(k => labels.Where((l, i) => l == label && folds[i] == k).Count()).ToArray();
            Assert.All(perFold, n => Assert.InRange(n, total / 5, total / 5 + 1));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedFolds.Assign(labels, 1, 0));
        Assert.Throws<ArgumentException>(() => StratifiedFolds.Assign([0, 1], 3, 0));
    }

    [Fact]
    public void Binary_SweepsTheBooleanLabelTrainer()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(IStarTestData.BinaryBlobs(20, 6));
        var result = ml.BinaryClassification.SweepIStar(data, new IStarSweepOptions
        {
            BaseOptions = Head(), Parameters = ["Lambda"], Values = new Dictionary<string, double[]> { ["Lambda"] = [-1, 1] }, Folds = 2,
        });
        Assert.Equal(2, result.Candidates.Count);
        Assert.True(result.Best.MeanScore > 0.8, $"binary accuracy {result.Best.MeanScore}");
    }

    [Fact]
    public void BadSweepOptions_FailNamingTheProblem()
    {
        var ml = new MLContext(1);
        var data = IStarTestData.Keyed(ml, IStarTestData.Blobs(5, 1));
        ArgumentException Fails(IStarSweepOptions o) => Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.SweepIStar(data, o));
        Assert.Contains("Lambda = 7 lies outside its range [-5, 5]", Fails(new() { BaseOptions = Head(), Values = new Dictionary<string, double[]> { ["Lambda"] = [7] } }).Message);
        Assert.Contains("HiddenSize = 20 is not one of its choices (16, 32, 64, 128, 256)",
            Fails(new() { BaseOptions = Head(), Parameters = ["HiddenSize"], Values = new Dictionary<string, double[]> { ["HiddenSize"] = [20] } }).Message);
        Assert.Contains("not among the swept Parameters", Fails(new() { BaseOptions = Head(), Values = new Dictionary<string, double[]> { ["Epochs"] = [2] } }).Message);
        Assert.Contains("Folds must be at least 2", Fails(new() { BaseOptions = Head(), Folds = 1 }).Message);
        Assert.Contains("Parameters is empty", Fails(new() { BaseOptions = Head(), Parameters = [] }).Message);
        Assert.Contains("'Seed' is not a sweepable option", Fails(new() { BaseOptions = Head(), Parameters = ["Seed"] }).Message);
        Assert.Contains("Label column 'Label'", Assert.ThrowsAny<Exception>(() => ml.MulticlassClassification.SweepIStar(
            ml.Data.LoadFromEnumerable(IStarTestData.Blobs(5, 1)), new IStarSweepOptions { BaseOptions = Head() })).Message);
    }
}
