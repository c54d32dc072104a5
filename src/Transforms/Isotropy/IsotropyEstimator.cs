using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetIso.Geometry;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Measures the geometry (isotropy) of an embedding column and fits an optional post-processing of it. Created by
/// <c>mlContext.Transforms.MeasureIsotropy(...)</c>. <see cref="Fit"/> streams the column exactly once and returns an
/// <see cref="IsotropyTransformer"/> whose <see cref="IsotropyTransformer.Report"/> holds IsoScore, average cosine
/// similarity, partition isotropy, effective ranks, matrix entropy, TwoNN intrinsic dimension, the spectrum and the
/// rogue dimensions.
/// </summary>
/// <remarks>
/// Input: a <c>Vector&lt;Single&gt;</c> or <c>Vector&lt;Double&gt;</c> column of known or unknown size (all rows of
/// equal length, at least 2). Output: a known-size <c>Vector&lt;Single, d'&gt;</c> column, d' = d except for whitening
/// with k components.
/// </remarks>
public sealed class IsotropyEstimator : IEstimator<IsotropyTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly IHost _host;
    private readonly IsotropyOptions _options;

    internal IsotropyEstimator(TransformsCatalog catalog, string inputColumnName, IsotropyOptions? options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        _catalog = catalog;
        _options = options?.Clone() ?? new IsotropyOptions();
        _options.Validate(inputColumnName);
        _host = CatalogEnvironment.Get(catalog).Register(nameof(IsotropyEstimator));
        InputColumnName = inputColumnName;
    }

    /// <summary>The input column.</summary>
    public string InputColumnName { get; }

    /// <summary>The output column (the input column's name unless <see cref="IsotropyOptions.OutputColumnName"/> is set).</summary>
    public string OutputColumnName => _options.OutputColumnName ?? InputColumnName;

    /// <summary>Measures the column in one pass and fits the output map.</summary>
    /// <exception cref="ArgumentException">The column is missing or not a Single/Double vector; a component count exceeds d.</exception>
    /// <exception cref="InvalidOperationException">
    /// Ragged or empty rows, NaN/Infinity with <see cref="InvalidValueHandling.Fail"/>, fewer than 2 valid rows, or
    /// vectors of length 1 (messages name the column and row).
    /// </exception>
    public IsotropyTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = IsotropyInputColumn.Resolve(input.Schema, InputColumnName);
        if (column.DeclaredSize > 0)
            IsotropyProjectionFitter.CheckComponentCounts(_options, column.Name, column.DeclaredSize);
        using var channel = _host.Start("Fit");

        var measurement = IsotropyMeasurement.Run(input, column, _options, _host, channel);
        var covariance = measurement.Covariance.GetCovariance();
        var eigen = SymmetricEigen.Decompose(covariance);
        var projection = IsotropyProjectionFitter.Fit(_options, column.Name, measurement.Covariance.GetMean(), eigen.Eigenvalues, eigen.Eigenvectors);
        var report = IsotropyReportBuilder.Build(
            measurement, covariance, eigen.Eigenvalues, column.Name, _options, projection.OutputDimension, channel);
        channel.Info(MessageSensitivity.None,
            $"MeasureIsotropy('{column.Name}'): IsoScore {report.IsoScore:G6}, average cosine {report.AverageCosineSimilarity:G6}, " +
            $"TwoNN dimension {report.IntrinsicDimension:G6}; output '{OutputColumnName}' = {_options.PostProcessing} (d' = {projection.OutputDimension}).");

        var inner = BuildInner(input, column, projection, report);
        return new IsotropyTransformer(report, inner, OutputColumnName, column.IsDouble);
    }

    /// <summary>The input shape plus the output column, a known-size <c>Vector&lt;Single&gt;</c>.</summary>
    /// <exception cref="ArgumentException">The input column is missing or not a Single/Double vector.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        IsotropyInputColumn.Check(inputSchema, InputColumnName);
        return SchemaShapes.With(inputSchema, SchemaShapes.Vector(OutputColumnName, NumberDataViewType.Single));
    }

    /// <summary>
    /// The built-in equivalent of the output map: ML.NET's OnnxTransformer over the generated graph (whose metadata
    /// holds the report). When the output replaces the input column, the graph writes a temporary column that is then
    /// copied over the input name and dropped, because an ONNX graph cannot use one name for its input and output.
    /// </summary>
    private ITransformer BuildInner(IDataView input, IsotropyInputColumn column, IsotropyProjection projection, IsotropyReport report)
    {
        bool replacesInput = OutputColumnName == column.Name;
        string graphOutput = replacesInput ? $"{OutputColumnName}.isotropy_output" : OutputColumnName;
        var metadata = new Dictionary<string, string> { [IsotropyReport.OnnxMetadataKey] = report.ToJson() };
        var onnx = IsotropyOnnxGraph.Build(projection, column.Name, graphOutput, column.IsDouble, metadata);

        IDataView fitView = column.DeclaredSize == 0
            ? new MappedDataView(input, new KnownSizeVectorMapper(input.Schema, column.Column.Index, report.Dimension))
            : input;
        IEstimator<ITransformer> estimator = _catalog.ApplyOnnxModel([graphOutput], [column.Name], new MemoryStream(onnx));
        if (replacesInput)
        {
            estimator = estimator
                .Append(_catalog.CopyColumns(OutputColumnName, graphOutput))
                .Append(_catalog.DropColumns(graphOutput));
        }
        return estimator.Fit(fitView);
    }
}
