using Microsoft.ML;
using MlNetIso.Trainers.IStar.Labels;
using MlNetIso.Trainers.IStar.Scoring;

namespace MlNetIso.Trainers.IStar.Model;

/// <summary>
/// The classification task of an I-STAR model: which label column it reads and which output columns it writes. The
/// network, the loss <c>CE + λ(1 − IsoScore*)</c>, the training loop and the persistence are shared; a binary model is the
/// multiclass machinery with K = 2 (false = class 0, true = class 1). The task's <see cref="Name"/> is stored in
/// <c>istar.json</c>.
/// </summary>
internal sealed class IStarTask
{
    /// <summary><c>mlContext.MulticlassClassification.Trainers.IStar</c>: key label, Score vector, key PredictedLabel.</summary>
    public static readonly IStarTask Multiclass = new("multiclass", new KeyLabelReader(), specVersion: 1);

    /// <summary><c>mlContext.BinaryClassification.Trainers.IStar</c>: Boolean label, Score margin, Probability, Boolean PredictedLabel.</summary>
    public static readonly IStarTask Binary = new("binary", new BooleanLabelReader(), specVersion: 2);

    private IStarTask(string name, LabelReader labels, int specVersion)
    {
        Name = name;
        Labels = labels;
        SpecVersion = specVersion;
    }

    /// <summary>"multiclass" or "binary".</summary>
    public string Name { get; }

    /// <summary>How the label column is read.</summary>
    public LabelReader Labels { get; }

    /// <summary>
    /// The <c>istar.json</c> format version a step of this task is written with: binary steps need a reader that knows
    /// the task field (version 2); multiclass steps stay at version 1 so older readers still load them.
    /// </summary>
    public int SpecVersion { get; }

    /// <summary>Whether the task writes <see cref="IStarOptions.ProbabilityColumnName"/>.</summary>
    public bool HasProbabilityColumn => this == Binary;

    /// <summary>The task stored as <paramref name="name"/> in <c>istar.json</c> of <paramref name="source"/>.</summary>
    /// <exception cref="InvalidDataException">The name is not a known task.</exception>
    public static IStarTask FromName(string name, string source) => name switch
    {
        "multiclass" => Multiclass,
        "binary" => Binary,
        _ => throw new InvalidDataException($"'{source}': unknown I-STAR task '{name}' (expected 'multiclass' or 'binary')."),
    };

    /// <summary>The estimator-time output shape: <paramref name="input"/> plus this task's columns named by <paramref name="options"/>.</summary>
    public SchemaShape WithOutputs(SchemaShape input, IStarOptions options) => this == Binary
        ? BinaryOutputColumns.Shape(input, options.ScoreColumnName, options.ProbabilityColumnName, options.PredictedLabelColumnName)
        : MulticlassOutputColumns.Shape(input, options.ScoreColumnName, options.PredictedLabelColumnName,
            input.FirstOrDefault(c => c.Name == options.LabelColumnName).Annotations?.Any(a => a.Name == "KeyValues") == true);

    /// <summary>The output columns of a trained model with class set <paramref name="labels"/> and the column names in <paramref name="options"/>.</summary>
    public ClassifierOutputColumns CreateOutputs(IStarLabels labels, IStarOptions options) => this == Binary
        ? new BinaryOutputColumns(options.ScoreColumnName, options.ProbabilityColumnName, options.PredictedLabelColumnName)
        : new MulticlassOutputColumns(labels, options.ScoreColumnName, options.PredictedLabelColumnName);

    /// <inheritdoc />
    public override string ToString() => Name;
}
