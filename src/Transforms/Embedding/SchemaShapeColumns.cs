using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Makes <see cref="SchemaShape.Column"/> values through public API only (its constructor is internal): a throw-away
/// <c>CustomMapping</c> estimator whose output schema definition carries the wanted name and type reports the column.
/// </summary>
internal static class SchemaShapeColumns
{
    private sealed class NoInput;

    private sealed class VectorOutput
    {
        public float[] Value { get; set; } = [];
    }

    /// <summary>A known-size <c>Vector&lt;Single, size&gt;</c> column named <paramref name="name"/>.</summary>
    public static SchemaShape.Column SingleVector(string name, int size)
    {
        var definition = SchemaDefinition.Create(typeof(VectorOutput));
        definition[0].ColumnName = name;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        var estimator = new MLContext().Transforms.CustomMapping<NoInput, VectorOutput>(
            static (_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        return estimator.GetOutputSchema(new SchemaShape([])).Single(c => c.Name == name);
    }
}
