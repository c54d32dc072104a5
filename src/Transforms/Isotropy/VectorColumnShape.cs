using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Produces a <see cref="SchemaShape.Column"/> for a known-size <c>Vector&lt;Single&gt;</c> column with a given name.
/// The column's constructor is internal in ML.NET 5 (dotnet/machinelearning#3243), so it is taken from the output
/// shape of a throw-away <c>CustomMapping</c> estimator whose schema definition names the column at run time
/// (public API only; mlnet-conventions.md §1.2a).
/// </summary>
internal static class VectorColumnShape
{
    /// <summary>The shape column <c>Vector&lt;Single&gt;</c> (known size) named <paramref name="name"/>.</summary>
    public static SchemaShape.Column KnownSizeSingleVector(TransformsCatalog catalog, string name)
    {
        var definition = SchemaDefinition.Create(typeof(VectorRow));
        definition[0].ColumnName = name;
        var estimator = catalog.CustomMapping<EmptyRow, VectorRow>((_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        var shape = estimator.GetOutputSchema(new SchemaShape([]));
        return shape.First(c => c.Name == name);
    }

    /// <summary>A row type with no columns (the throw-away mapping reads nothing).</summary>
    internal sealed class EmptyRow;

    /// <summary>A row type with one known-size Single vector column.</summary>
    internal sealed class VectorRow
    {
        /// <summary>The vector (its name is replaced at run time).</summary>
        [VectorType(1)]
        public float[] Value { get; set; } = [];
    }
}
