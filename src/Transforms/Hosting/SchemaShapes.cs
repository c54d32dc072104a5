using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// The one place that makes <see cref="SchemaShape.Column"/> values, which every estimator's
/// <c>GetOutputSchema(SchemaShape)</c> needs for the columns it adds. ML.NET keeps the column's constructor internal on
/// purpose (dotnet/machinelearning#3243), so it is reached by reflection, as third-party ML.NET components do; the
/// constructor is looked up once, and an ML.NET version without it fails with a message saying so. (A throw-away
/// <c>CustomMapping</c> estimator can report simple columns through public API, but not key types with annotations,
/// which the classifier outputs need; one technique serves all.)
/// </summary>
internal static class SchemaShapes
{
    private static readonly ConstructorInfo? Constructor =
        typeof(SchemaShape.Column).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .FirstOrDefault(c => c.GetParameters().Select(p => p.ParameterType).SequenceEqual(
                [typeof(string), typeof(SchemaShape.Column.VectorKind), typeof(DataViewType), typeof(bool), typeof(SchemaShape)]));

    /// <summary>A column shape: <paramref name="name"/>, scalar or vector, item type, key or not, and its annotations' shapes.</summary>
    /// <exception cref="NotSupportedException">This ML.NET version has no such constructor.</exception>
    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey,
        params SchemaShape.Column[] annotations)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(itemType);
        if (Constructor is null)
            throw new NotSupportedException(
                $"SchemaShape.Column(name, kind, itemType, isKey, annotations) was not found in {typeof(SchemaShape).Assembly.GetName()}; "
                + "this ML.NET version is not supported.");
        return (SchemaShape.Column)Constructor.Invoke([name, kind, itemType, isKey, new SchemaShape(annotations)]);
    }

    /// <summary>A scalar column of <paramref name="itemType"/>.</summary>
    public static SchemaShape.Column Scalar(string name, DataViewType itemType, params SchemaShape.Column[] annotations) =>
        Column(name, SchemaShape.Column.VectorKind.Scalar, itemType, isKey: false, annotations);

    /// <summary>A known-size vector column of <paramref name="itemType"/> (the size itself is not part of a shape).</summary>
    public static SchemaShape.Column Vector(string name, DataViewType itemType, params SchemaShape.Column[] annotations) =>
        Column(name, SchemaShape.Column.VectorKind.Vector, itemType, isKey: false, annotations);

    /// <summary>
    /// <paramref name="input"/> with <paramref name="added"/> appended; an input column of the same name as an added one
    /// is dropped (it is hidden in the output, as in a <c>DataViewSchema</c>).
    /// </summary>
    public static SchemaShape With(SchemaShape input, params SchemaShape.Column[] added)
    {
        ArgumentNullException.ThrowIfNull(input);
        var names = added.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    /// <summary>
    /// The input column <paramref name="name"/> of <paramref name="shape"/> (the last of that name); throws naming the
    /// column and <paramref name="owner"/> (the transform, for the message) when it is missing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No column of that name.</exception>
    public static SchemaShape.Column Find(SchemaShape shape, string name, string owner)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var found = shape.Where(c => c.Name == name).ToArray();
        return found.Length > 0
            ? found[^1]
            : throw new ArgumentOutOfRangeException(nameof(shape),
                $"{owner}: input column '{name}' was not found in the schema (columns: {string.Join(", ", shape.Select(c => c.Name))}).");
    }
}
