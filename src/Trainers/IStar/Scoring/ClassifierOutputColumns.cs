using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>
/// The columns an I-STAR model appends to its input schema and how each row's values follow from the network's
/// logits: <see cref="MulticlassOutputColumns"/> (Score vector, key PredictedLabel) or <see cref="BinaryOutputColumns"/>
/// (Score margin, Probability, Boolean PredictedLabel).
/// </summary>
internal abstract class ClassifierOutputColumns
{
    /// <summary>Number of appended columns; in the output schema they follow the input columns in this order.</summary>
    public abstract int Count { get; }

    /// <summary>
    /// The input schema plus the appended columns (which hide same-named input columns), numbered as the next score
    /// column set of <paramref name="input"/>.
    /// </summary>
    public DataViewSchema Build(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        AddColumns(builder, NextScoreColumnSetId(input));
        return builder.ToSchema();
    }

    /// <summary>Adds the <see cref="Count"/> output columns, with their annotations, as score column set <paramref name="setId"/>.</summary>
    protected abstract void AddColumns(DataViewSchema.Builder builder, uint setId);

    /// <summary>
    /// The getter of appended column <paramref name="offset"/> (0-based among the appended columns): a
    /// <c>ValueGetter</c> of that column's raw type, reading <paramref name="scores"/> for the current row.
    /// </summary>
    public abstract Delegate CreateGetter(int offset, IStarRowScores scores);

    /// <summary>Annotation numbering the score column sets of a schema (names as in ML.NET's internal <c>AnnotationUtils.Kinds</c>).</summary>
    public const string ScoreColumnSetId = "ScoreColumnSetId";

    /// <summary>Annotation naming the kind of prediction a score column belongs to.</summary>
    public const string ScoreColumnKind = "ScoreColumnKind";

    /// <summary>Annotation naming the role of a column within its score column set.</summary>
    public const string ScoreValueKind = "ScoreValueKind";

    /// <summary>Annotation marking a column whose values lie in [0, 1].</summary>
    public const string IsNormalized = "IsNormalized";

    /// <summary>
    /// The <c>ScoreColumnSetId</c> for new output columns: one more than the largest among <paramref name="schema"/>'s
    /// columns (1 when none has one), as ML.NET's scorers number their column sets.
    /// </summary>
    private static uint NextScoreColumnSetId(DataViewSchema schema)
    {
        uint max = 0;
        foreach (var column in schema)
        {
            if (column.Annotations.Schema.GetColumnOrNull(ScoreColumnSetId)?.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint))
                continue;
            uint value = 0;
            column.Annotations.GetValue(ScoreColumnSetId, ref value);
            max = Math.Max(max, value);
        }
        return checked(max + 1);
    }

    /// <summary>
    /// Adds ML.NET's score-set annotations to <paramref name="builder"/>: <c>ScoreColumnSetId</c> (Key&lt;UInt32&gt; with
    /// int.MaxValue values, like <c>AnnotationUtils.ScoreColumnSetIdType</c>), <c>ScoreColumnKind</c> and <c>ScoreValueKind</c>.
    /// </summary>
    protected static DataViewSchema.Annotations.Builder ScoreSetAnnotations(DataViewSchema.Annotations.Builder builder, uint setId,
        string columnKind, string valueKind)
    {
        builder.Add(ScoreColumnSetId, new KeyDataViewType(typeof(uint), int.MaxValue), (ref uint value) => value = setId);
        builder.Add(ScoreColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = columnKind.AsMemory());
        builder.Add(ScoreValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = valueKind.AsMemory());
        return builder;
    }

    /// <summary>
    /// The shapes of the score-set annotations ML.NET's trainers declare on their output columns
    /// (<c>AnnotationUtils.GetTrainerOutputAnnotation</c>): <c>ScoreColumnSetId</c> (a key), <c>ScoreColumnKind</c> and
    /// <c>ScoreValueKind</c> (text).
    /// </summary>
    protected static SchemaShape.Column[] ScoreSetShapes() =>
    [
        SchemaShapes.Column(ScoreColumnSetId, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, isKey: true),
        SchemaShapes.Scalar(ScoreColumnKind, TextDataViewType.Instance),
        SchemaShapes.Scalar(ScoreValueKind, TextDataViewType.Instance),
    ];
}
