using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// Two row-to-row mappers applied one after the other (ML.NET's <c>CompositeRowToRowMapper</c> for a chain of two):
/// <paramref name="second"/> is built for <paramref name="first"/>'s output schema. The isotropy transform uses it to
/// put its known-size view in front of ML.NET's OnnxTransformer mapper.
/// </summary>
internal sealed class RowMapperChain(IRowToRowMapper first, IRowToRowMapper second) : IRowToRowMapper
{
    /// <inheritdoc />
    public DataViewSchema InputSchema => first.InputSchema;

    /// <inheritdoc />
    public DataViewSchema OutputSchema => second.OutputSchema;

    /// <inheritdoc />
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        first.GetDependencies(second.GetDependencies(dependingColumns));

    /// <inheritdoc />
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var active = activeColumns.ToArray();
        return second.GetRow(first.GetRow(input, second.GetDependencies(active)), active);
    }
}
