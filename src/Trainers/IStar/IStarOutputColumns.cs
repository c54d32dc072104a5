using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// The two columns an I-STAR model adds: <c>Score</c> (<c>Vector&lt;Single, K&gt;</c> of class probabilities with
/// <c>SlotNames</c>) and <c>PredictedLabel</c> (<c>Key&lt;UInt32, K&gt;</c>, with <c>KeyValues</c> when the training label had them).
/// </summary>
internal static class IStarOutputColumns
{
    /// <summary>The input schema plus the score and predicted-label columns (which hide same-named input columns).</summary>
    public static DataViewSchema Build(DataViewSchema input, IStarLabels labels, string scoreColumnName, string predictedLabelColumnName)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(scoreColumnName, new VectorDataViewType(NumberDataViewType.Single, labels.Count), ScoreAnnotations(labels));
        builder.AddColumn(predictedLabelColumnName, new KeyDataViewType(typeof(uint), labels.Count), PredictedLabelAnnotations(labels));
        return builder.ToSchema();
    }

    private static DataViewSchema.Annotations ScoreAnnotations(IStarLabels labels)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, labels.Count), TextGetter(labels));
        return builder.ToAnnotations();
    }

    private static DataViewSchema.Annotations PredictedLabelAnnotations(IStarLabels labels)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        if (labels.HasKeyValues) builder.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, labels.Count), TextGetter(labels));
        return builder.ToAnnotations();
    }

    private static ValueGetter<VBuffer<ReadOnlyMemory<char>>> TextGetter(IStarLabels labels) =>
        (ref VBuffer<ReadOnlyMemory<char>> value) =>
        {
            var editor = VBufferEditor.Create(ref value, labels.Count);
            for (int i = 0; i < labels.Count; i++) editor.Values[i] = labels.ClassNames[i].AsMemory();
            value = editor.Commit();
        };
}
