using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.IStar.Labels;

/// <summary>
/// Binary labels: a <c>Boolean</c> column, ML.NET's binary-classification convention (what its binary trainers'
/// estimators require). <c>false</c> is class 0 and <c>true</c> is class 1, so the network's two logits give the margin
/// <c>logit₁ − logit₀</c> of the positive class. Boolean values cannot be missing.
/// </summary>
internal sealed class BooleanLabelReader : LabelReader
{
    /// <summary>The class names of a binary model, in class order (<c>bool.ToString()</c> of false and true).</summary>
    public static readonly IReadOnlyList<string> ClassNames = [bool.FalseString, bool.TrueString];

    /// <inheritdoc />
    public override IStarLabels ReadClasses(DataViewSchema schema, string labelColumnName)
    {
        var column = FindColumn(schema, labelColumnName, "input schema");
        CheckType(column, labelColumnName, "input schema");
        return new IStarLabels(ClassNames, hasKeyValues: false);
    }

    /// <inheritdoc />
    public override int[] ReadIndices(IDataView data, string labelColumnName, IStarLabels classes, string dataName)
    {
        var column = FindColumn(data.Schema, labelColumnName, dataName);
        CheckType(column, labelColumnName, dataName);
        return ReadAll<bool>(data, column, (value, _) => value ? 1 : 0, dataName);
    }

    /// <inheritdoc />
    public override string SingleClassMessage(string labelColumnName, string className) =>
        $"Label column '{labelColumnName}' of the training data holds only {className.ToLowerInvariant()} values; "
        + "a binary classifier needs rows of both classes (true and false).";

    /// <inheritdoc />
    protected override bool Accepts(SchemaShape.Column label) =>
        label.Kind == SchemaShape.Column.VectorKind.Scalar && label.ItemType == BooleanDataViewType.Instance && !label.IsKey;

    /// <inheritdoc />
    protected override string WrongShapeMessage(string labelColumnName, SchemaShape.Column label) =>
        WrongTypeMessage(labelColumnName, label.Kind == SchemaShape.Column.VectorKind.Scalar ? $"{label.ItemType}" : $"{label.Kind} of {label.ItemType}", "input schema");

    private static void CheckType(DataViewSchema.Column column, string labelColumnName, string dataName)
    {
        if (column.Type != BooleanDataViewType.Instance)
            throw new ArgumentOutOfRangeException(nameof(labelColumnName), WrongTypeMessage(labelColumnName, $"{column.Type}", dataName));
    }

    private static string WrongTypeMessage(string labelColumnName, string actual, string dataName) =>
        $"Label column '{labelColumnName}' of the {dataName} must be Boolean for binary classification (as for ML.NET's binary trainers), got {actual}. "
        + "Convert it first (e.g. mlContext.Transforms.Conversion.ConvertType(\"" + labelColumnName + "\", outputKind: DataKind.Boolean) for a "
        + "numeric or \"true\"/\"false\" text column), or use mlContext.MulticlassClassification.Trainers.IStar with a key label.";
}
