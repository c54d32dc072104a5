using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>
/// Builds <see cref="SchemaShape.Column"/> values for new columns. ML.NET keeps that constructor internal on purpose
/// (dotnet/machinelearning#3243), so estimators outside ML.NET reach it by reflection (mlnet-conventions.md §1.2 b).
/// </summary>
internal static class SchemaShapeColumns
{
    private static readonly ConstructorInfo Constructor =
        typeof(SchemaShape.Column).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .FirstOrDefault(c => c.GetParameters().Length == 5)
        ?? throw new InvalidOperationException("SchemaShape.Column(name, kind, itemType, isKey, annotations) not found; this ML.NET version is not supported.");

    /// <summary>A column shape.</summary>
    public static SchemaShape.Column Create(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey,
        params SchemaShape.Column[] annotations) =>
        (SchemaShape.Column)Constructor.Invoke([name, kind, itemType, isKey, new SchemaShape(annotations)]);

    /// <summary>
    /// The input shape plus the multiclass I-STAR Score and PredictedLabel columns, annotated as ML.NET's multiclass
    /// trainers declare them (label values only when the label has <c>KeyValues</c>, <paramref name="labelHasKeyValues"/>).
    /// </summary>
    public static SchemaShape WithClassifierOutputs(SchemaShape input, string scoreColumnName, string predictedLabelColumnName, bool labelHasKeyValues)
    {
        var columns = input.ToDictionary(c => c.Name);
        var (setId, kind, valueKind) = ScoreSetShapes();
        SchemaShape.Column Text(string name) => Create(name, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false);
        var score = new List<SchemaShape.Column> { Text("SlotNames"), setId, kind, valueKind };
        var predicted = new List<SchemaShape.Column> { setId, kind, valueKind };
        if (labelHasKeyValues)
        {
            score.Add(Text("TrainingLabelValues"));
            predicted.Add(Text("KeyValues"));
        }
        columns[scoreColumnName] = Create(scoreColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, [.. score]);
        columns[predictedLabelColumnName] = Create(predictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, [.. predicted]);
        return new SchemaShape(columns.Values);
    }

    /// <summary>
    /// The input shape plus the binary I-STAR columns: Score and Probability (Single) and PredictedLabel (Boolean), with
    /// the score-set annotations ML.NET's trainers declare (<c>AnnotationUtils.GetTrainerOutputAnnotation</c>).
    /// </summary>
    public static SchemaShape WithBinaryClassifierOutputs(SchemaShape input, string scoreColumnName, string probabilityColumnName,
        string predictedLabelColumnName)
    {
        var columns = input.ToDictionary(c => c.Name);
        var (setId, kind, valueKind) = ScoreSetShapes();
        var normalized = Create(ClassifierOutputColumns.IsNormalized, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false);
        columns[scoreColumnName] = Create(scoreColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false, setId, kind, valueKind);
        columns[probabilityColumnName] = Create(probabilityColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false,
            setId, kind, valueKind, normalized);
        columns[predictedLabelColumnName] = Create(predictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false,
            setId, kind, valueKind);
        return new SchemaShape(columns.Values);
    }

    /// <summary>The shapes of the three score-set annotations ML.NET's trainers declare (<c>AnnotationUtils.GetTrainerOutputAnnotation</c>).</summary>
    private static (SchemaShape.Column SetId, SchemaShape.Column Kind, SchemaShape.Column ValueKind) ScoreSetShapes() => (
        Create(ClassifierOutputColumns.ScoreColumnSetId, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true),
        Create(ClassifierOutputColumns.ScoreColumnKind, SchemaShape.Column.VectorKind.Scalar, TextDataViewType.Instance, false),
        Create(ClassifierOutputColumns.ScoreValueKind, SchemaShape.Column.VectorKind.Scalar, TextDataViewType.Instance, false));
}
