using Microsoft.ML.OnnxRuntime;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// One ONNX Runtime session over an encoder, shared by all cursors of a transformer (<c>Run</c> is thread-safe).
/// Runs one padded batch of token sequences and pools each row into a d-vector.
/// </summary>
internal sealed class EncoderSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public EncoderSignature Signature { get; }
    public string ModelName { get; }

    /// <summary>Width d of the embeddings.</summary>
    public int Dimension { get; }

    /// <summary>The provider this session runs on (Cpu or Cuda; never Auto).</summary>
    public EmbeddingExecutionProvider ActiveExecutionProvider { get; }

    /// <summary>Why CUDA is not used when Auto fell back to CPU; null otherwise.</summary>
    public string? FallbackReason { get; }

    public EncoderSession(byte[] modelBytes, EmbeddingSettings settings, string modelName, int probeTokenId)
    {
        ModelName = modelName;
        var setup = ExecutionProviderSetup.Create(settings, modelName);
        ActiveExecutionProvider = setup.Active;
        FallbackReason = setup.FallbackReason;
        using var options = setup.Options;
        try
        {
            _session = new InferenceSession(modelBytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"Encoder model '{modelName}' cannot be loaded by ONNX Runtime: {e.Message}", e);
        }
        try
        {
            Signature = EncoderSignature.Detect(_session, modelName);
            _inputNames = new[] { Signature.IdsInput, Signature.MaskInput, Signature.TypeIdsInput }.OfType<string>().ToArray();
            _outputNames = [Signature.Output];
            Dimension = Signature.Dimension > 0 ? Signature.Dimension : ProbeDimension(probeTokenId);
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }
    }

    private int ProbeDimension(int tokenId)
    {
        var sequences = new[] { new[] { tokenId, tokenId } };
        var buffers = new EncoderBuffers();
        var inputs = CreateInputs(sequences, 2, buffers);
        try
        {
            using var results = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
            var shape = results[0].GetTensorTypeAndShape().Shape;
            return checked((int)shape[^1]);
        }
        finally
        {
            foreach (var v in inputs) v.Dispose();
        }
    }

    /// <summary>
    /// Runs the sequences as one batch padded to their longest length and writes one pooled d-vector per sequence
    /// into <paramref name="pooled"/> (row-major, sequences × d). Without an <c>attention_mask</c> input, padding
    /// would change the result, so sequences of different lengths are then run in separate calls.
    /// </summary>
    public void Run(ReadOnlySpan<int[]> sequences, EmbeddingPooling pooling, EncoderBuffers buffers, Span<float> pooled)
    {
        if (Signature.MaskInput is null)
        {
            var start = 0;
            for (var i = 1; i <= sequences.Length; i++)
            {
                if (i < sequences.Length && sequences[i].Length == sequences[start].Length) continue;
                RunPadded(sequences[start..i], pooling, buffers, pooled.Slice(start * Dimension, (i - start) * Dimension));
                start = i;
            }
            return;
        }
        RunPadded(sequences, pooling, buffers, pooled);
    }

    private void RunPadded(ReadOnlySpan<int[]> sequences, EmbeddingPooling pooling, EncoderBuffers buffers, Span<float> pooled)
    {
        var n = sequences.Length;
        var length = 0;
        foreach (var s in sequences) length = Math.Max(length, s.Length);
        var d = Dimension;
        var outputLength = Signature.OutputIsPooled ? n * d : checked(n * length * d);
        var output = buffers.Output(outputLength);
        long[] outputShape = Signature.OutputIsPooled ? [n, d] : [n, length, d];

        var inputs = CreateInputs(sequences, length, buffers);
        try
        {
            using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                output.AsMemory(0, outputLength), outputShape);
            try
            {
                _session.Run(_runOptions, _inputNames, inputs, _outputNames, [outputValue]);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidOperationException(
                    $"Encoder '{ModelName}' failed on a batch of {n} sequences of up to {length} tokens: {e.Message}", e);
            }
        }
        finally
        {
            foreach (var v in inputs) v.Dispose();
        }

        var states = output.AsSpan(0, outputLength);
        for (var i = 0; i < n; i++)
        {
            var dest = pooled.Slice(i * d, d);
            if (Signature.OutputIsPooled)
                states.Slice(i * d, d).CopyTo(dest);
            else
                EmbeddingMath.Pool(states.Slice(i * length * d, length * d), sequences[i].Length, d, pooling, dest);
        }
    }

    private List<OrtValue> CreateInputs(ReadOnlySpan<int[]> sequences, int length, EncoderBuffers buffers)
    {
        long[] shape = [sequences.Length, length];
        var values = new List<OrtValue>(3)
        {
            buffers.Fill(EncoderBuffers.Slot.Ids, Signature.IdsType, sequences, length, shape),
        };
        if (Signature.MaskInput is not null)
            values.Add(buffers.Fill(EncoderBuffers.Slot.Mask, Signature.MaskType, sequences, length, shape));
        if (Signature.TypeIdsInput is not null)
            values.Add(buffers.Fill(EncoderBuffers.Slot.TypeIds, Signature.TypeIdsType, sequences, length, shape));
        return values;
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
