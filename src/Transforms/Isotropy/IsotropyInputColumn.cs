using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// The validated input column of the isotropy transform: a <c>Vector&lt;Single&gt;</c> or <c>Vector&lt;Double&gt;</c>, of
/// known or unknown size. Every schema error is raised here, with the column's name, so it surfaces at
/// <c>GetOutputSchema</c> and <c>Fit</c> time rather than in the middle of a pass.
/// </summary>
internal sealed class IsotropyInputColumn
{
    private IsotropyInputColumn(DataViewSchema.Column column, bool isDouble, int declaredSize)
    {
        Column = column;
        IsDouble = isDouble;
        DeclaredSize = declaredSize;
    }

    /// <summary>The column in the schema it was resolved against.</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>True for <c>Vector&lt;Double&gt;</c>, false for <c>Vector&lt;Single&gt;</c>.</summary>
    public bool IsDouble { get; }

    /// <summary>The declared vector size, or 0 when the size is unknown (rows may then differ in length).</summary>
    public int DeclaredSize { get; }

    /// <summary>The column name.</summary>
    public string Name => Column.Name;

    /// <summary>Finds and checks the column in a data view schema.</summary>
    /// <exception cref="ArgumentException">The column is missing or is not a Single/Double vector.</exception>
    public static IsotropyInputColumn Resolve(DataViewSchema schema, string name)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException(
                $"MeasureIsotropy: input column '{name}' was not found in the schema (columns: {string.Join(", ", schema.Select(c => c.Name))}).",
                nameof(name));
        if (column.Type is not VectorDataViewType vector
            || (vector.ItemType != NumberDataViewType.Single && vector.ItemType != NumberDataViewType.Double))
            throw new ArgumentException(
                $"MeasureIsotropy: input column '{name}' has type {column.Type}; expected Vector<Single> or Vector<Double> (known or unknown size).",
                nameof(name));
        if (vector.Dimensions.Length > 1)
            throw new ArgumentException(
                $"MeasureIsotropy: input column '{name}' has type {column.Type}; expected a one-dimensional vector.", nameof(name));
        return new IsotropyInputColumn(column, vector.ItemType == NumberDataViewType.Double, vector.Size);
    }

    /// <summary>Checks the column in a schema shape (the estimator's <c>GetOutputSchema</c>).</summary>
    /// <exception cref="ArgumentException">The column is missing or is not a Single/Double vector.</exception>
    public static void Check(SchemaShape shape, string name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var found = shape.Where(c => c.Name == name).ToArray();
        if (found.Length == 0)
            throw new ArgumentException(
                $"MeasureIsotropy: input column '{name}' was not found in the schema (columns: {string.Join(", ", shape.Select(c => c.Name))}).",
                nameof(name));
        var column = found[^1];
        bool isVector = column.Kind is SchemaShape.Column.VectorKind.Vector or SchemaShape.Column.VectorKind.VariableVector;
        bool isNumber = column.ItemType == NumberDataViewType.Single || column.ItemType == NumberDataViewType.Double;
        if (!isVector || !isNumber || column.IsKey)
            throw new ArgumentException(
                $"MeasureIsotropy: input column '{name}' is {column.Kind} of {column.ItemType}; expected Vector<Single> or Vector<Double>.",
                nameof(name));
    }
}
