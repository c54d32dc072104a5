using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// Checks <see cref="IStarOptions"/> and takes immutable-in-practice copies of them. The value rules
/// (<see cref="ValidateValues"/>) are also applied to the options a saved model is rebuilt with, so a package cannot
/// carry a value the trainer would have refused.
/// </summary>
internal static class IStarOptionsValidator
{
    /// <summary>Largest number of classes (and of hidden units in head-only mode) a model may have.</summary>
    public const int MaxClasses = 1 << 20;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option of a trainer for <paramref name="task"/>.</summary>
    public static void Validate(IStarOptions o, IStarTask task)
    {
        bool hasFeature = !string.IsNullOrWhiteSpace(o.FeatureColumnName);
        bool hasText = !string.IsNullOrWhiteSpace(o.TextColumnName);
        if (hasFeature == hasText)
            throw new ArgumentException("Set exactly one of IStarOptions.FeatureColumnName (head-only mode) or IStarOptions.TextColumnName (fine-tune mode).", nameof(o));
        if (hasText && string.IsNullOrWhiteSpace(o.EncoderPath))
            throw new ArgumentException(
                "Fine-tune mode (TextColumnName) needs IStarOptions.EncoderPath: a built-in encoder name (e.g. all-MiniLM-L6-v2) or an HF-style encoder folder.",
                nameof(o));
        if (hasText && !EncoderFolder.CanOpen(o.EncoderPath))
            throw new ArgumentException(
                $"Encoder '{o.EncoderPath}' (IStarOptions.EncoderPath) is neither an existing folder or model file nor a built-in encoder name " +
                $"({string.Join(", ", BuiltInEncoders.All.Select(e => e.Name))}).", nameof(o));
        ValidateValues(o, task);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first option whose value breaks its rule (column names, λ, ζ,
    /// sizes, rates, device): the checks that do not depend on the mode or on files.
    /// </summary>
    public static void ValidateValues(IStarOptions o, IStarTask task)
    {
        Require(!string.IsNullOrWhiteSpace(o.LabelColumnName), nameof(o.LabelColumnName), "must name the label column");
        Require(!string.IsNullOrWhiteSpace(o.ScoreColumnName), nameof(o.ScoreColumnName), "must not be empty");
        Require(!string.IsNullOrWhiteSpace(o.PredictedLabelColumnName) && o.PredictedLabelColumnName != o.ScoreColumnName,
            nameof(o.PredictedLabelColumnName), "must be non-empty and differ from ScoreColumnName");
        if (task.HasProbabilityColumn)
            Require(!string.IsNullOrWhiteSpace(o.ProbabilityColumnName) && o.ProbabilityColumnName != o.ScoreColumnName
                && o.ProbabilityColumnName != o.PredictedLabelColumnName,
                nameof(o.ProbabilityColumnName), "must be non-empty and differ from ScoreColumnName and PredictedLabelColumnName");
        Require(double.IsFinite(o.Lambda), nameof(o.Lambda), "must be finite");
        Require(o.Zeta is >= 0 and <= 1, nameof(o.Zeta), "must lie in [0, 1]");
        Require(o.ReferencePoints >= 2, nameof(o.ReferencePoints), "must be at least 2");
        Require(o.BatchSize >= 2, nameof(o.BatchSize), "must be at least 2 (IsoScore* needs 2 points per batch)");
        Require(o.Epochs >= 1, nameof(o.Epochs), "must be at least 1");
        Require(o.LearningRate > 0 && double.IsFinite(o.LearningRate), nameof(o.LearningRate), "must be positive");
        Require(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay), nameof(o.WeightDecay), "must be non-negative");
        Require(o.HiddenSize is >= 2 and <= MaxClasses, nameof(o.HiddenSize), $"must be at least 2 and at most {MaxClasses}");
        Require(o.MaxTokens >= 3, nameof(o.MaxTokens), "must be at least 3 ([CLS], one word piece, [SEP])");
        Require(o.EarlyStoppingPatience >= 0, nameof(o.EarlyStoppingPatience), "must be non-negative");
        Require(o.EarlyStoppingPatience == 0 || o.ValidationSet is not null, nameof(o.EarlyStoppingPatience), "needs a ValidationSet");
        Require(o.NumberOfThreads is null or >= 1, nameof(o.NumberOfThreads), "must be at least 1");
        Require(o.Device is "cpu" or "cuda", nameof(o.Device), "must be \"cpu\" or \"cuda\"");
    }

    /// <summary>A copy of <paramref name="o"/> so later edits by the caller do not change a built estimator or model.</summary>
    public static IStarOptions Snapshot(IStarOptions o) => new()
    {
        LabelColumnName = o.LabelColumnName,
        FeatureColumnName = o.FeatureColumnName,
        TextColumnName = o.TextColumnName,
        EncoderPath = o.EncoderPath,
        ScoreColumnName = o.ScoreColumnName,
        ProbabilityColumnName = o.ProbabilityColumnName,
        PredictedLabelColumnName = o.PredictedLabelColumnName,
        Lambda = o.Lambda,
        Zeta = o.Zeta,
        ReferencePoints = o.ReferencePoints,
        BatchSize = o.BatchSize,
        Epochs = o.Epochs,
        LearningRate = o.LearningRate,
        WeightDecay = o.WeightDecay,
        HiddenSize = o.HiddenSize,
        MaxTokens = o.MaxTokens,
        Layers = o.Layers,
        ExcludePadding = o.ExcludePadding,
        Seed = o.Seed,
        ValidationSet = o.ValidationSet,
        EarlyStoppingPatience = o.EarlyStoppingPatience,
        CancellationToken = o.CancellationToken,
        NumberOfThreads = o.NumberOfThreads,
        Device = o.Device,
    };

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition) throw new ArgumentException($"IStarOptions.{option} {rule}.", option);
    }
}
