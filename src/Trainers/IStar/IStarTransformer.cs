using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Labels;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Trainers.IStar.Persistence;
using MlNetIso.Trainers.IStar.Scoring;
using MlNetIso.Trainers.IStar.Training;
using MlNetIso.Transforms.Hosting;
using MlNetIso.Transforms.Persistence;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// A trained I-STAR classifier (Rudman &amp; Eickhoff, arXiv 2305.19358). Transform is lazy (rows are scored when read).
/// <list type="bullet">
/// <item>Multiclass (<c>MulticlassClassification.Trainers.IStar</c>): adds <c>Score</c> (class probabilities
/// softmax(logits), <c>Vector&lt;Single, K&gt;</c> with slot names) and <c>PredictedLabel</c> (<c>Key&lt;UInt32, K&gt;</c>),
/// so <c>MulticlassClassification.Evaluate</c>, <c>MapKeyToValue</c> and <c>CreatePredictionEngine</c> work.</item>
/// <item>Binary (<c>BinaryClassification.Trainers.IStar</c>): adds <c>Score</c> (the margin <c>s = logit₁ − logit₀</c>,
/// <c>Single</c>), <c>Probability</c> (<c>σ(s)</c>, <c>Single</c>) and <c>PredictedLabel</c> (<c>s &gt; 0</c>, <c>Boolean</c>)
/// with ML.NET's binary score annotations, so <c>BinaryClassification.Evaluate</c>, <c>EvaluateNonCalibrated</c> and
/// <c>CreatePredictionEngine</c> work.</item>
/// </list>
/// </summary>
/// <remarks>
/// The TorchSharp weights cannot be written by <c>mlContext.Model.Save</c> (ML.NET's save context is internal): save a
/// pipeline containing this transformer with <c>mlContext.Model.SavePackaged</c> and load it with
/// <c>mlContext.Model.LoadPackaged</c> (namespace MlNetIso.Transforms.Persistence).
/// </remarks>
public sealed class IStarTransformer : IPackagedTransformer, ISingleFeaturePredictionTransformer<IStarModelParameters>, IDisposable
{
    private readonly ClassifierNetwork network;
    private readonly IStarOptions options;
    private bool disposed;

    internal IStarTransformer(ClassifierNetwork network, IStarModelSpec spec, IStarTask task, NetworkInput input, Device device,
        IReadOnlyList<IStarEpochMetrics> history)
    {
        this.network = network;
        Spec = spec;
        options = spec.ToOptions();
        var labels = new IStarLabels(spec.ClassNames, spec.HasKeyValues);
        Input = input;
        Labels = labels;
        Outputs = task.CreateOutputs(labels, options);
        Device = device;
        TrainingHistory = history;
        Model = new IStarModelParameters(spec, network);
        FeatureColumnType = spec.Mode == IStarMode.HeadOnly
            ? new VectorDataViewType(NumberDataViewType.Single, spec.InputSize)
            : TextDataViewType.Instance;
        network.eval();
    }

    /// <summary>
    /// What the model is (mode, sizes, classes): ML.NET's <c>ISingleFeaturePredictionTransformer&lt;TModel&gt;.Model</c>, so
    /// <c>model.LastTransformer.Model</c> and ML.NET's permutation feature importance work on an I-STAR model.
    /// </summary>
    public IStarModelParameters Model { get; }

    /// <summary>The column the model reads (the same as <see cref="InputColumnName"/>), for ML.NET's prediction-transformer tooling.</summary>
    public string FeatureColumnName => Input.ColumnName;

    /// <summary>The type of <see cref="FeatureColumnName"/>: <c>Vector&lt;Single, d&gt;</c> (head-only) or text (fine-tune).</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>Per-epoch training metrics (empty for a model loaded from disk).</summary>
    public IReadOnlyList<IStarEpochMetrics> TrainingHistory { get; }

    /// <summary>
    /// Class names in class order: multiclass, the label's KeyValues as text (or "0".."K−1"); binary, "False" and "True".
    /// </summary>
    public IReadOnlyList<string> ClassNames => Labels.ClassNames;

    /// <summary>The input column this model reads (the feature or the text column).</summary>
    public string InputColumnName => Input.ColumnName;

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    internal NetworkInput Input { get; }

    internal IStarLabels Labels { get; }

    internal ClassifierOutputColumns Outputs { get; }

    internal Device Device { get; }

    internal ClassifierNetwork Network => network;

    internal IStarModelSpec Spec { get; }

    /// <summary>The reader that <c>LoadPackaged</c> uses for this step.</summary>
    Type IPackagedTransformer.StepReaderType => typeof(IStarStepReader);

    /// <summary>Writes <c>istar.json</c> (architecture, classes, columns) and <c>weights.bin</c> (TorchSharp module state).</summary>
    void IPackagedTransformer.WriteStep(ZipArchive zip, string folder)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        IStarStepFiles.Write(zip, folder, this);
    }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        Input.CheckSchema(inputSchema);
        return Outputs.Build(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(disposed, this);
        return new MappedDataView(input, new IStarRowMapper(this, input.Schema));
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(disposed, this);
        return new IStarRowMapper(this, inputSchema);
    }

    /// <summary>Always throws: use <c>mlContext.Model.SavePackaged(model, inputSchema, path)</c> instead.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException(
            "An I-STAR model holds TorchSharp weights that mlContext.Model.Save cannot store. Save the pipeline with "
            + "mlContext.Model.SavePackaged(model, inputSchema, path) and load it with mlContext.Model.LoadPackaged(path, out inputSchema) "
            + "(namespace MlNetIso.Transforms.Persistence).");

    /// <summary>
    /// Measures the isotropy of this model's regularised representation (hidden layer in head-only mode, token states
    /// of the regularised layers in fine-tune mode) on <paramref name="data"/>, streaming at most
    /// <paramref name="maxPoints"/> points.
    /// </summary>
    public IStarRepresentationIsotropy MeasureRepresentationIsotropy(IDataView data, int maxPoints = 250_000)
    {
        ArgumentNullException.ThrowIfNull(data);
        ObjectDisposedException.ThrowIf(disposed, this);
        var examples = Input.ReadExamples(data, "measured data");
        return RepresentationIsotropy.Measure(network, examples, options.BatchSize, options.Zeta, maxPoints, Device);
    }

    /// <summary>
    /// Fine-tune mode: writes the fine-tuned encoder as a Hugging Face style folder — <c>config.json</c>,
    /// <c>model.safetensors</c>, <c>vocab.txt</c>, <c>tokenizer_config.json</c> and <c>model.onnx</c> (feature-extraction
    /// graph from <c>BertOnnxWriter</c>) — so it can feed the TempScale embedding transform or Hugging Face tools.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is head-only (it has no encoder).</exception>
    public void ExportEncoder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (network is not FineTuneNetwork fineTuned)
            throw new InvalidOperationException("ExportEncoder needs a fine-tune I-STAR model (TextColumnName + EncoderPath); this one is head-only.");
        EncoderExport.Write(fineTuned.Encoder, Spec, folder);
    }

    /// <summary>
    /// Runs the network on <paramref name="batch"/> (B rows) and writes row b's K logits and their softmax to row
    /// <c>rows[b]</c> of the row-major <paramref name="logits"/> and <paramref name="probabilities"/>.
    /// </summary>
    internal void Predict(IStarBatch batch, int[] rows, float[] logits, float[] probabilities)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = network.Forward(batch).Logits;
        int k = Labels.Count;
        var l = output.cpu().data<float>().ToArray();
        var p = nn.functional.softmax(output, 1).cpu().data<float>().ToArray();
        for (int b = 0; b < rows.Length; b++)
        {
            Array.Copy(l, b * k, logits, rows[b] * k, k);
            Array.Copy(p, b * k, probabilities, rows[b] * k, k);
        }
    }

    /// <summary>Frees the TorchSharp module.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        network.Dispose();
    }
}
