using Microsoft.ML;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// The columns an I-STAR model appends to its input schema and how each row's values follow from the network's
/// logits: <see cref="MulticlassOutputColumns"/> (Score vector, key PredictedLabel) or <see cref="BinaryOutputColumns"/>
/// (Score margin, Probability, Boolean PredictedLabel).
/// </summary>
internal abstract class IStarOutputColumns
{
    /// <summary>Number of appended columns; in the output schema they follow the input columns in this order.</summary>
    public abstract int Count { get; }

    /// <summary>The input schema plus the appended columns (which hide same-named input columns).</summary>
    public abstract DataViewSchema Build(DataViewSchema input);

    /// <summary>
    /// The getter of appended column <paramref name="offset"/> (0-based among the appended columns): a
    /// <c>ValueGetter</c> of that column's raw type, reading <paramref name="scores"/> for the current row.
    /// </summary>
    public abstract Delegate CreateGetter(int offset, IStarRowScores scores);
}
