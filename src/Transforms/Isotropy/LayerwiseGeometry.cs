using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetIso.Geometry;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Layer-wise geometry of an ONNX encoder: the texts are run once through the encoder with every layer's hidden states
/// exposed as graph outputs (<see cref="EncoderLayerOutputs"/>; h⁽⁰⁾ the embedding output, h⁽ℓ⁾ the output of layer
/// ℓ), each layer's token states are mean-pooled per text, and the cloud of pooled vectors of each layer is measured by
/// <see cref="IsotropyCatalog.MeasureIsotropy"/> — IsoScore, average cosine, matrix entropy, effective ranks, TwoNN and
/// the rest of <see cref="IsotropyReport"/>, exactly as for an embedding column. Per layer it also averages over texts
/// the matrix entropy of each text's own token states, the per-text quantity of Diff-eRank and of the representation
/// entropy of Tan, Li &amp; Huang (arXiv 2402.03471). TempScale (τ ≠ 1) is applied first when the options ask for it.
/// See docs/algorithms.md, "Layer-wise geometry".
/// </summary>
/// <remarks>
/// Texts are tokenised as the embedding transform does (its vocabulary, casing, prefix and <c>MaxTokens</c>; long texts
/// are truncated) and run one at a time, so no padding enters a pooled vector: the pooled last layer equals the
/// transform's output with <c>Pooling = Mean</c> and <c>Normalize = false</c>. Memory: the pooled vectors of every
/// layer, (L + 1) × texts × d floats (28 MB for 2,500 texts of a 6 × 384 model).
/// </remarks>
public static class LayerwiseGeometry
{
    private const string Column = "Features";

    /// <summary>Measures every hidden layer of the encoder of <paramref name="encoder"/> on <paramref name="texts"/>.</summary>
    /// <param name="mlContext">The ML.NET context (its seed does not matter: <see cref="IsotropyOptions.Seed"/> drives the sample).</param>
    /// <param name="texts">At least 2 texts (null counts as empty).</param>
    /// <param name="encoder">The encoder and its settings as for the embedding transform (<c>ModelPath</c>, <c>Temperature</c>,
    /// <c>MaxTokens</c>, casing, prefix, execution provider); <c>Pooling</c>, <c>Normalize</c>, batching and <c>LongText</c>
    /// do not apply (mean pooling, no normalisation, one text at a time, truncation).</param>
    /// <param name="isotropy">Options of the per-layer measurement (sample size and seed of the point-based measures); null for the defaults.</param>
    /// <param name="progress">Receives the number of texts run so far, after each text.</param>
    /// <param name="cancellationToken">Checked before each text.</param>
    /// <returns>One entry per hidden state h⁽⁰⁾ … h⁽ᴸ⁾.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 texts.</exception>
    /// <exception cref="InvalidDataException">The model's layers cannot be identified (see <see cref="EncoderLayerOutputs.Expose"/>).</exception>
    /// <exception cref="NotSupportedException">The model's hidden states are not float32.</exception>
    public static LayerwiseGeometryResult Measure(MLContext mlContext, IEnumerable<string?> texts, TempScaleEmbeddingOptions encoder,
        IsotropyOptions? isotropy = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(encoder);
        var package = EncoderPackage.FromOptions(encoder);
        var modelName = encoder.ModelPath;
        EncoderLayerOutputsResult exposed;
        try
        {
            exposed = EncoderLayerOutputs.Expose(package.ModelBytes, LayerOutputKinds.HiddenStates);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Encoder '{modelName}': {e.Message}", e);
        }
        var tokenizer = package.CreateTokenizer();
        var settings = package.Settings;
        var setup = ExecutionProviderSetup.Create(settings, modelName);
        using var sessionOptions = setup.Options;
        using var session = new InferenceSession(exposed.Model, sessionOptions);
        var signature = EncoderSignature.Detect(session, modelName);
        foreach (var name in exposed.HiddenStates)
            if (session.OutputMetadata[name].ElementDataType != TensorElementType.Float)
                throw new NotSupportedException(
                    $"Encoder '{modelName}': hidden state '{name}' is {session.OutputMetadata[name].ElementDataType}; layer-wise geometry reads float32 models.");

        int states = exposed.HiddenStates.Count;
        var pooled = Enumerable.Range(0, states).Select(_ => new List<float[]>()).ToArray();
        var tokenEntropy = new double[states];
        var tokenEntropySquares = new double[states];
        var normalizedTokenEntropy = new double[states];
        long count = 0;
        foreach (var text in texts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = tokenizer.Encode(settings.Prefix + (text ?? ""), settings.MaxTokens);
            using var results = Run(session, signature, ids, exposed.HiddenStates);
            for (int l = 0; l < states; l++)
            {
                var values = results[l].GetTensorDataAsSpan<float>();
                int n = ids.Length, d = values.Length / n;
                var rows = new float[n][];
                var mean = new double[d];
                for (int t = 0; t < n; t++)
                {
                    rows[t] = values.Slice(t * d, d).ToArray();
                    for (int j = 0; j < d; j++) mean[j] += rows[t][j];
                }
                pooled[l].Add(mean.Select(v => (float)(v / n)).ToArray());
                var h = SpectralMeasures.MatrixEntropy(rows);
                tokenEntropy[l] += h;
                tokenEntropySquares[l] += h * h;
                var bound = Math.Min(n - 1, d);
                if (bound > 1) normalizedTokenEntropy[l] += h / Math.Log(bound);
            }
            count++;
            progress?.Report(count);
        }
        if (count < 2)
            throw new ArgumentException($"Layer-wise geometry needs at least 2 texts; got {count}.", nameof(texts));

        var layers = new List<LayerGeometry>(states);
        for (int l = 0; l < states; l++)
        {
            var d = pooled[l][0].Length;
            var schema = SchemaDefinition.Create(typeof(VectorRow));
            schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
            var view = mlContext.Data.LoadFromEnumerable(pooled[l].Select(v => new VectorRow { Features = v }), schema);
            using var transformer = mlContext.Transforms.MeasureIsotropy(Column, isotropy).Fit(view);
            var mean = tokenEntropy[l] / count;
            var variance = Math.Max(0, (tokenEntropySquares[l] - count * mean * mean) / (count - 1));
            layers.Add(new LayerGeometry(l, transformer.Report, mean, Math.Sqrt(variance), normalizedTokenEntropy[l] / count));
        }
        return new LayerwiseGeometryResult(settings.Temperature, count, layers);
    }

    private static IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, EncoderSignature signature, int[] ids, IReadOnlyList<string> outputs)
    {
        long[] shape = [1, ids.Length];
        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal)
        {
            [signature.IdsInput] = Tensor(signature.IdsType, ids, shape),
        };
        try
        {
            if (signature.MaskInput is { } mask) inputs[mask] = Tensor(signature.MaskType, Enumerable.Repeat(1, ids.Length).ToArray(), shape);
            if (signature.TypeIdsInput is { } types) inputs[types] = Tensor(signature.TypeIdsType, new int[ids.Length], shape);
            using var runOptions = new RunOptions();
            return session.Run(runOptions, inputs.Keys.ToList(), inputs.Values.ToList(), outputs.ToList());
        }
        finally
        {
            foreach (var v in inputs.Values) v.Dispose();
        }
    }

    private static OrtValue Tensor(TensorElementType type, int[] values, long[] shape) => type == TensorElementType.Int32
        ? OrtValue.CreateTensorValueFromMemory(values, shape)
        : OrtValue.CreateTensorValueFromMemory(values.Select(v => (long)v).ToArray(), shape);

    private sealed class VectorRow
    {
        public float[] Features { get; set; } = [];
    }
}
