using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar.Labels;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>
/// The columns of a multiclass I-STAR model: <c>Score</c> (<c>Vector&lt;Single, K&gt;</c> of class probabilities
/// softmax(logits), with <c>SlotNames</c>) and <c>PredictedLabel</c> (<c>Key&lt;UInt32, K&gt;</c>, the arg-max class + 1,
/// with <c>KeyValues</c> when the training label had them). Both also carry the score-set annotations ML.NET's
/// multiclass scorer writes (<c>ScoreColumnSetId</c>, <c>ScoreColumnKind</c> = "MulticlassClassification",
/// <c>ScoreValueKind</c> = "Score" / "PredictedLabel", and <c>TrainingLabelValues</c> on Score when the label had key values).
/// </summary>
internal sealed class MulticlassOutputColumns : ClassifierOutputColumns
{
    /// <summary>The <see cref="ClassifierOutputColumns.ScoreColumnKind"/> value of multiclass classifiers.</summary>
    public const string MulticlassClassification = "MulticlassClassification";

    private readonly IStarLabels labels;
    private readonly string scoreColumnName;
    private readonly string predictedLabelColumnName;

    /// <summary>Columns for the class set <paramref name="labels"/> under the given names.</summary>
    public MulticlassOutputColumns(IStarLabels labels, string scoreColumnName, string predictedLabelColumnName)
    {
        this.labels = labels;
        this.scoreColumnName = scoreColumnName;
        this.predictedLabelColumnName = predictedLabelColumnName;
    }

    /// <inheritdoc />
    public override int Count => 2;

    /// <summary>
    /// The estimator-time shape: <paramref name="input"/> plus Score and PredictedLabel, annotated as ML.NET's multiclass
    /// trainers declare them (label values only when the label has <c>KeyValues</c>, <paramref name="labelHasKeyValues"/>).
    /// </summary>
    public static SchemaShape Shape(SchemaShape input, string scoreColumnName, string predictedLabelColumnName, bool labelHasKeyValues)
    {
        var scoreSet = ScoreSetShapes();
        SchemaShape.Column Text(string name) => SchemaShapes.Vector(name, TextDataViewType.Instance);
        SchemaShape.Column[] score = [Text("SlotNames"), .. scoreSet, .. labelHasKeyValues ? [Text("TrainingLabelValues")] : Array.Empty<SchemaShape.Column>()];
        SchemaShape.Column[] predicted = [.. scoreSet, .. labelHasKeyValues ? [Text("KeyValues")] : Array.Empty<SchemaShape.Column>()];
        return SchemaShapes.With(input,
            SchemaShapes.Vector(scoreColumnName, NumberDataViewType.Single, score),
            SchemaShapes.Column(predictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, isKey: true, predicted));
    }

    /// <inheritdoc />
    protected override void AddColumns(DataViewSchema.Builder builder, uint setId)
    {
        builder.AddColumn(scoreColumnName, new VectorDataViewType(NumberDataViewType.Single, labels.Count), ScoreAnnotations(setId));
        builder.AddColumn(predictedLabelColumnName, new KeyDataViewType(typeof(uint), labels.Count), PredictedLabelAnnotations(setId));
    }

    /// <inheritdoc />
    public override Delegate CreateGetter(int offset, IStarRowScores scores) => offset switch
    {
        0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            scores.Update();
            var editor = VBufferEditor.Create(ref value, scores.Probabilities.Length);
            scores.Probabilities.CopyTo(editor.Values);
            value = editor.Commit();
        }),
        1 => (ValueGetter<uint>)((ref uint value) =>
        {
            scores.Update();
            value = (uint)ArgMax(scores.Probabilities) + 1;
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(offset)),
    };

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    private DataViewSchema.Annotations ScoreAnnotations(uint setId)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, labels.Count), TextGetter());
        ScoreSetAnnotations(builder, setId, MulticlassClassification, "Score");
        // ML.NET's multiclass scorer also records the training label's values on the score column.
        if (labels.HasKeyValues) builder.Add("TrainingLabelValues", new VectorDataViewType(TextDataViewType.Instance, labels.Count), TextGetter());
        return builder.ToAnnotations();
    }

    private DataViewSchema.Annotations PredictedLabelAnnotations(uint setId)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        if (labels.HasKeyValues) builder.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, labels.Count), TextGetter());
        return ScoreSetAnnotations(builder, setId, MulticlassClassification, "PredictedLabel").ToAnnotations();
    }

    private ValueGetter<VBuffer<ReadOnlyMemory<char>>> TextGetter() =>
        (ref VBuffer<ReadOnlyMemory<char>> value) =>
        {
            var editor = VBufferEditor.Create(ref value, labels.Count);
            for (int i = 0; i < labels.Count; i++) editor.Values[i] = labels.ClassNames[i].AsMemory();
            value = editor.Commit();
        };
}
