using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Estimator of the TempScale text-embedding transform (see <see cref="TempScaleEmbeddingTransformer"/>). It learns
/// nothing from the data: <see cref="Fit"/> checks the text column, reads the model folder, applies the TempScale
/// rewrite when τ ≠ 1 and opens the ONNX Runtime session. Every problem with the model, vocabulary or options is
/// reported here, with the file or column named.
/// </summary>
public sealed class TempScaleEmbeddingEstimator : IEstimator<TempScaleEmbeddingTransformer>
{
    private readonly TempScaleEmbeddingOptions _options;
    private readonly object _gate = new();
    private readonly IHost? _host;
    private EncoderPackage? _package;

    /// <summary>Name of the text column read.</summary>
    public string InputColumnName { get; }

    /// <summary>Name of the embedding column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Creates the estimator; the options are copied and validated.</summary>
    public TempScaleEmbeddingEstimator(string outputColumnName, string? inputColumnName, TempScaleEmbeddingOptions options)
        : this(null, outputColumnName, inputColumnName, options)
    {
    }

    /// <summary>Creates the estimator; <paramref name="environment"/> (when given) receives the log messages of <see cref="Fit"/>.</summary>
    internal TempScaleEmbeddingEstimator(IHostEnvironment? environment, string outputColumnName, string? inputColumnName,
        TempScaleEmbeddingOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        OutputColumnName = outputColumnName;
        InputColumnName = string.IsNullOrWhiteSpace(inputColumnName) ? outputColumnName : inputColumnName;
        _options = options.Clone();
        _options.Validate();
        _host = environment?.Register(nameof(TempScaleEmbeddingEstimator));
    }

    /// <summary>A copy of the options this estimator was created with.</summary>
    public TempScaleEmbeddingOptions Options => _options.Clone();

    /// <inheritdoc/>
    public TempScaleEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(InputColumnName)
                     ?? throw new ArgumentOutOfRangeException(nameof(input),
                         $"Input column '{InputColumnName}' of the TempScale embedding transform was not found in the data.");
        if (column.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(input),
                $"Input column '{InputColumnName}' of the TempScale embedding transform must be text, but it is {column.Type}.");
        var transformer = new TempScaleEmbeddingTransformer(OutputColumnName, InputColumnName, Package());
        if (_host is not null)
        {
            using var ch = _host.Start("Fit");
            if (transformer.Embedder.FallbackReason is { } reason && ExecutionProviderSetup.ClaimFallbackReport())
                ch.Warning(MessageSensitivity.None, "{0}", ExecutionProviderSetup.FallbackMessage(_options.ModelPath, reason));
            ch.Info(MessageSensitivity.None,
                $"TempScale embedding '{InputColumnName}' -> '{OutputColumnName}': encoder '{_options.ModelPath}', d = {transformer.Dimension}, " +
                $"τ = {transformer.Temperature} ({transformer.RewrittenSites} attention sites rewritten), MaxTokens = {transformer.MaxTokens}, " +
                $"pooling = {(transformer.ModelOutputIsPooled ? "model output" : transformer.Pooling.ToString())}, L2 = {transformer.Normalize}, " +
                $"prefix = {(transformer.Prefix.Length == 0 ? "none" : $"'{transformer.Prefix}'")}, long texts: {transformer.LongText}, " +
                $"precision {transformer.Precision}, execution provider: {transformer.ActiveExecutionProvider}.");
        }
        return transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var matches = inputSchema.Where(c => c.Name == InputColumnName).ToList();
        if (matches.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Input column '{InputColumnName}' of the TempScale embedding transform was not found in the data.");
        var column = matches[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Input column '{InputColumnName}' of the TempScale embedding transform must be a scalar text column, " +
                $"but it is {column.Kind} of {column.ItemType}.");
        Package(); // the model folder's problems surface here, naming the file, as they would at Fit
        return SchemaShapes.With(inputSchema, SchemaShapes.Vector(OutputColumnName, NumberDataViewType.Single));
    }

    private EncoderPackage Package()
    {
        lock (_gate)
        {
            if (_package is not null) return _package;
            var package = EncoderPackage.FromOptions(_options);
            // Opening a session once checks that ONNX Runtime accepts the (rewritten) graph and its signature.
            using (new TextEmbedder(package)) { }
            return _package = package;
        }
    }
}
