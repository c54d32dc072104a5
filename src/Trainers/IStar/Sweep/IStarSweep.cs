using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Trainers.IStar.Training;

namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>
/// Runs a sweep: builds the search space from the options' attributes, generates the candidates, and scores each by
/// stratified k-fold cross-validation (train on k − 1 folds, accuracy on the held-out one), reading the data once per
/// candidate and the folds once per sweep.
/// </summary>
internal static class IStarSweep
{
    public static IStarSweepResult Run(IHostEnvironment environment, IDataView data, IStarSweepOptions options, IStarTask task)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.BaseOptions, "IStarSweepOptions.BaseOptions");
        ArgumentNullException.ThrowIfNull(options.Parameters, "IStarSweepOptions.Parameters");
        ArgumentNullException.ThrowIfNull(options.Values, "IStarSweepOptions.Values");
        if (options.Parameters.Count == 0) throw new ArgumentException("IStarSweepOptions.Parameters is empty: name at least one option to sweep.");
        if (options.Folds < 2) throw new ArgumentOutOfRangeException(nameof(options), options.Folds, "IStarSweepOptions.Folds must be at least 2.");
        var host = environment.Register("IStarSweep");
        var space = IStarSearchSpace.FromAttributes([.. options.Parameters]);
        var candidates = IStarCandidateGenerator.Generate(space, options);
        var baseOptions = IStarOptionsValidator.Snapshot(options.BaseOptions);
        baseOptions.ValidationSet = null;
        baseOptions.EarlyStoppingPatience = 0;
        baseOptions.Seed ??= options.Seed;

        using var channel = host.Start("Sweep");
        channel.Info(MessageSensitivity.None, "I-STAR sweep ({0}): {1} candidate(s) over {2}, {3}-fold stratified cross-validation, seed {4}.",
            options.Strategy, candidates.Count, string.Join(", ", space.Parameters.Select(p => p.Name)), options.Folds, options.Seed);
        int[]? folds = null;
        var results = new List<IStarSweepCandidate>();
        foreach (var values in candidates)
        {
            baseOptions.CancellationToken.ThrowIfCancellationRequested();
            var trainer = new IStarTrainer(host, space.Apply(baseOptions, values), task);
            var read = trainer.ReadTrainingData(data);
            folds ??= StratifiedFolds.Assign(read.Indices, options.Folds, options.Seed);
            var scores = new double[options.Folds];
            for (int k = 0; k < options.Folds; k++)
            {
                var trainRows = Enumerable.Range(0, folds.Length).Where(i => folds[i] != k).ToArray();
                var testRows = Enumerable.Range(0, folds.Length).Where(i => folds[i] == k).ToArray();
                using var model = trainer.Fit(read, new SubsetExamples(read.Examples, trainRows), trainRows.Select(i => read.Indices[i]).ToArray());
                scores[k] = IStarTrainingLoop.Accuracy(model.Network, new SubsetExamples(read.Examples, testRows),
                    testRows.Select(i => read.Indices[i]).ToArray(), trainer.Options.BatchSize, model.Device);
            }
            var candidate = new IStarSweepCandidate(results.Count, values, scores);
            results.Add(candidate);
            channel.Info(MessageSensitivity.None, "I-STAR sweep candidate {0}/{1} ({2}): accuracy {3:F4} ± {4:F4}.",
                results.Count, candidates.Count, candidate.Describe(), candidate.MeanScore, candidate.StandardDeviation);
        }
        var best = results.OrderByDescending(c => c.MeanScore).ThenBy(c => c.StandardDeviation).ThenBy(c => c.Index).First();
        channel.Info(MessageSensitivity.None, "I-STAR sweep best: {0}, accuracy {1:F4} ± {2:F4}.", best.Describe(), best.MeanScore, best.StandardDeviation);
        var bestOptions = space.Apply(options.BaseOptions, best.Values);
        return new IStarSweepResult(space, results, best, bestOptions, options.Folds);
    }
}
