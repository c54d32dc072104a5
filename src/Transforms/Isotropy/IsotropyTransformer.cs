using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// The fitted isotropy transform: it carries the column's <see cref="Report"/> and writes the output column
/// (a known-size <c>Vector&lt;Single, d'&gt;</c>) through the fitted post-processing map.
/// </summary>
/// <remarks>
/// <para>
/// The map runs as a small generated ONNX graph inside ML.NET's own <c>OnnxTransformer</c>, to which this type hands
/// <see cref="Transform"/>, <see cref="GetOutputSchema"/>, <see cref="GetRowToRowMapper"/> (so <c>CreatePredictionEngine</c>
/// works) and saving. <c>mlContext.Model.Save</c> therefore writes built-in transformers only, and
/// <c>mlContext.Model.Load</c> — in any process, without this library — gives back an equivalent model whose output is
/// identical. The loaded model consists of those built-in transformers (not this type); read the report back with
/// <see cref="IsotropyReport.FromSavedModel(string)"/>.
/// </para>
/// <para>
/// Unknown-size input columns are accepted: this transformer checks each row's length against the fitted d. ML.NET's
/// OnnxTransformer itself needs a known-size column, so a model saved from such a pipeline must, after loading, be
/// fed a known-size <c>Vector&lt;T, d&gt;</c> column (for example from a loader or a class with <c>[VectorType(d)]</c>).
/// </para>
/// </remarks>
public sealed class IsotropyTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _inner;
    private readonly bool _inputIsDouble;

    internal IsotropyTransformer(IsotropyReport report, ITransformer inner, string outputColumnName, bool inputIsDouble)
    {
        Report = report;
        _inner = inner;
        OutputColumnName = outputColumnName;
        _inputIsDouble = inputIsDouble;
        Columns =
        [
            new IsotropyColumn(outputColumnName, report.ColumnName,
                new VectorDataViewType(inputIsDouble ? NumberDataViewType.Double : NumberDataViewType.Single, report.Dimension), report),
        ];
    }

    /// <summary>
    /// The column pairs this transformer maps (one) with the report of each, as ML.NET's <c>NormalizingTransformer.Columns</c>
    /// lists its column pairs with their learned parameters.
    /// </summary>
    public ImmutableArray<IsotropyColumn> Columns { get; }

    /// <summary>
    /// The report of the <paramref name="index"/>-th column pair, as <c>NormalizingTransformer.GetNormalizerModelParameters(index)</c>
    /// returns a normalizer's parameters; works through a chain: <c>model.LastTransformer.GetIsotropyReport(0)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not the index of a column pair.</exception>
    public IsotropyReport GetIsotropyReport(int index)
    {
        if (index < 0 || index >= Columns.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"The isotropy transform maps {Columns.Length} column pair(s); index {index} is out of range.");
        return Columns[index].Report;
    }

    /// <summary>The geometry report measured by <see cref="IsotropyEstimator.Fit"/>.</summary>
    public IsotropyReport Report { get; }

    /// <summary>The input column this transformer reads.</summary>
    public string InputColumnName => Report.ColumnName;

    /// <summary>The output column this transformer writes.</summary>
    public string OutputColumnName { get; }

    /// <summary>Always true: the transform maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the output column <c>Vector&lt;Single, d'&gt;</c>.</summary>
    /// <exception cref="ArgumentException">The input column is missing, has the wrong type or the wrong known size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        _inner.GetOutputSchema(Adapt(inputSchema)?.OutputSchema ?? inputSchema);

    /// <summary>Lazily applies the output map; nothing is computed until the result is read.</summary>
    /// <exception cref="ArgumentException">The input column is missing, has the wrong type or the wrong known size.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var adapter = Adapt(input.Schema);
        return _inner.Transform(adapter is null ? input : new MappedDataView(input, adapter));
    }

    /// <summary>A row-to-row mapper for <paramref name="inputSchema"/> (used by <c>PredictionEngine</c>).</summary>
    /// <exception cref="ArgumentException">The input column is missing, has the wrong type or the wrong known size.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        var adapter = Adapt(inputSchema);
        return adapter is null
            ? _inner.GetRowToRowMapper(inputSchema)
            : new RowMapperChain(adapter, _inner.GetRowToRowMapper(adapter.OutputSchema));
    }

    /// <summary>Saves the built-in equivalent (ONNX graph with the report in its metadata) into the model zip.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _inner.Save(ctx);

    /// <summary>Releases the ONNX Runtime session of the inner OnnxTransformer.</summary>
    public void Dispose() => (_inner as IDisposable)?.Dispose();

    /// <summary>
    /// Checks the input column and, if its size is unknown, returns the mapper that re-declares it as
    /// <c>Vector&lt;T, d&gt;</c>; null when the column already has the fitted known size.
    /// </summary>
    private KnownSizeVectorMapper? Adapt(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = IsotropyInputColumn.Resolve(inputSchema, InputColumnName);
        if (column.IsDouble != _inputIsDouble)
            throw new ArgumentException(
                $"Isotropy transform: input column '{InputColumnName}' has type {column.Column.Type}, but the transformer was fitted on Vector<{(_inputIsDouble ? "Double" : "Single")}>.",
                nameof(inputSchema));
        if (column.DeclaredSize == 0)
            return new KnownSizeVectorMapper(inputSchema, column.Column.Index, Report.Dimension);
        if (column.DeclaredSize != Report.Dimension)
            throw new ArgumentException(
                $"Isotropy transform: input column '{InputColumnName}' has size {column.DeclaredSize}, but the transformer was fitted on size {Report.Dimension}.",
                nameof(inputSchema));
        return null;
    }
}
