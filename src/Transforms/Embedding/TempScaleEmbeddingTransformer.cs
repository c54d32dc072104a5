using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Hosting;
using MlNetIso.Transforms.Persistence;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// A fitted TempScale text-embedding transform: maps a text column to a <c>Vector&lt;Single, d&gt;</c> column with the
/// pooled (and by default L2-normalised) output of an ONNX sentence encoder whose attention runs at temperature τ,
/// softmax((QKᵀ/√d + M)/τ) (TempScale, Zhou et al., arXiv 2410.24200). Rows are embedded lazily, in length-sorted,
/// dynamically padded batches; row order and count never change. A missing or empty text is embedded as the empty
/// input ([CLS][SEP], with the <see cref="Prefix"/> between them when there is one).
/// </summary>
/// <remarks>
/// One ONNX Runtime session is shared by all cursors and prediction engines; the transformer is safe to use from
/// several threads. Dispose it to release the session, once no cursor or prediction engine over it is in use. Plain <c>mlContext.Model.Save</c> cannot carry this
/// transformer and throws — after ML.NET has already created (emptied) the file at the path it was given; save and load pipelines containing it with
/// <see cref="PackagedModelOperations.SavePackaged(ModelOperationsCatalog, ITransformer, DataViewSchema, string)"/> and
/// <see cref="PackagedModelOperations.LoadPackaged(ModelOperationsCatalog, string, out DataViewSchema)"/>, which store the
/// rewritten ONNX model, the vocabulary and the settings in the one file.
/// </remarks>
public sealed class TempScaleEmbeddingTransformer : IPackagedTransformer, IDisposable
{
    internal static readonly string SaveMessage = PackagedModelOperations.PlainSaveMessage("The TempScale embedding transform");

    private int _disposed;

    internal TextEmbedder Embedder { get; }

    /// <summary>Name of the text column read.</summary>
    public string InputColumnName { get; }

    /// <summary>Name of the embedding column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Width d of the embeddings.</summary>
    public int Dimension => Embedder.Dimension;

    /// <summary>Attention temperature τ the encoder runs at.</summary>
    public float Temperature => Embedder.Settings.Temperature;

    /// <summary>Number of attention softmaxes the TempScale rewrite changed (0 when τ = 1).</summary>
    public int RewrittenSites => Embedder.Package.RewrittenSites;

    /// <summary>Longest token sequence fed to the encoder, [CLS] and [SEP] included.</summary>
    public int MaxTokens => Embedder.Settings.MaxTokens;

    /// <summary>Pooling applied to the token states.</summary>
    public EmbeddingPooling Pooling => Embedder.Settings.Pooling;

    /// <summary>Whether the encoder already outputs a pooled vector (then <see cref="Pooling"/> is not used).</summary>
    public bool ModelOutputIsPooled => Embedder.SignatureIsPooled;

    /// <summary>Whether embeddings are L2-normalised.</summary>
    public bool Normalize => Embedder.Settings.Normalize;

    /// <summary>Text put in front of every input (a model's query prompt, see <see cref="TempScaleEmbeddingOptions.TextKind"/>); empty for none.</summary>
    public string Prefix => Embedder.Settings.Prefix;

    /// <summary>Long-text handling.</summary>
    public LongTextMode LongText => Embedder.Settings.LongText;

    /// <summary>Arithmetic of the encoder's weight products (int8 when the encoder was quantised at fit time).</summary>
    public EncoderPrecision Precision => Embedder.Settings.Precision;

    /// <summary>
    /// The execution provider the encoder actually runs on: <see cref="EmbeddingExecutionProvider.Cpu"/> or
    /// <see cref="EmbeddingExecutionProvider.Cuda"/> (with <see cref="EmbeddingExecutionProvider.Auto"/>, whichever was usable).
    /// </summary>
    public EmbeddingExecutionProvider ActiveExecutionProvider => Embedder.ActiveExecutionProvider;

    /// <summary>The ML.NET type of the output column, <c>Vector&lt;Single, d&gt;</c>.</summary>
    public VectorDataViewType OutputType { get; }

    internal TempScaleEmbeddingTransformer(string outputColumnName, string inputColumnName, EncoderPackage package)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Embedder = new TextEmbedder(package);
        OutputType = new VectorDataViewType(NumberDataViewType.Single, Embedder.Dimension);
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TextColumnIndex(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(OutputColumnName, OutputType);
        return builder.ToSchema();
    }

    /// <summary>Index of the text column in <paramref name="schema"/>; throws naming the column when absent or not text.</summary>
    internal int TextColumnIndex(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(InputColumnName)
                     ?? throw new ArgumentOutOfRangeException(nameof(schema),
                         $"Input column '{InputColumnName}' of the TempScale embedding transform was not found in the data.");
        if (column.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Input column '{InputColumnName}' of the TempScale embedding transform must be text, but it is {column.Type}.");
        return column.Index;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new MappedDataView(input, new EmbeddingRowMapper(this, input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new EmbeddingRowMapper(this, inputSchema);
    }

    /// <summary>Always throws: see <see cref="PackagedModelOperations.SavePackaged(ModelOperationsCatalog, ITransformer, DataViewSchema, string)"/>.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(SaveMessage);

    /// <summary>The reader <see cref="PackagedModelOperations.LoadPackaged(ModelOperationsCatalog, string, out DataViewSchema)"/> uses for this step.</summary>
    Type IPackagedTransformer.StepReaderType => typeof(TempScaleStepReader);

    /// <summary>Writes the rewritten ONNX model, vocabulary and settings under <paramref name="folder"/>.</summary>
    void IPackagedTransformer.WriteStep(ZipArchive zip, string folder) => TempScaleStepFiles.Write(zip, folder, this);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Embedder.Dispose();
    }
}
