using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using MlNetIso.Transforms.Embedding.Tokenization;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>How the raw ONNX Runtime baseline pads a batch.</summary>
internal enum RawPadding
{
    /// <summary>Pad each batch (in input order, unsorted) to its own longest sequence.</summary>
    BatchLongest,

    /// <summary>Pad every batch to MaxTokens (fixed shapes, as a fixed-shape ONNX scorer does).</summary>
    MaxTokens,
}

/// <summary>
/// The baseline a .NET user would write by hand: tokenise with the same <see cref="BertTextTokenizer"/> (truncate to
/// MaxTokens), take the texts in input order in batches, pad each batch, fill int64 <c>input_ids</c> /
/// <c>attention_mask</c> / <c>token_type_ids</c>, call <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>,
/// mean-pool the real tokens of <c>last_hidden_state</c> and L2-normalise. No ML.NET, no sorting. Session options as
/// the transform's defaults (all graph optimisations, the given intra-op threads, no spin-waiting).
/// </summary>
internal sealed class RawOrtEmbedder : IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly BertTextTokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly int _batchSize;
    private readonly RawPadding _padding;

    /// <param name="allowSpinning">
    /// Whether ONNX Runtime's intra-op threads spin while waiting for work (ONNX Runtime's own default) or sleep
    /// (<c>session.intra_op.allow_spinning = 0</c>, the transform's default, so the default baseline runs with the
    /// transform's session options).
    /// </param>
    public RawOrtEmbedder(string modelPath, int intraOpThreads, int maxTokens, int batchSize, RawPadding padding, bool allowSpinning = false)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
        _session = new InferenceSession(modelPath, options);
        _tokenizer = BertTextTokenizer.Create(Path.Combine(Path.GetDirectoryName(modelPath)!, "vocab.txt"));
        _maxTokens = maxTokens;
        _batchSize = batchSize;
        _padding = padding;
        Dimension = checked((int)_session.OutputMetadata["last_hidden_state"].Dimensions[^1]);
    }

    /// <summary>Width d of the embeddings.</summary>
    public int Dimension { get; }

    /// <summary>Mean token count after truncation ([CLS]/[SEP] included) and the share of texts cut at MaxTokens.</summary>
    public (double MeanTokens, double ShareAtMax) TokenStats(IReadOnlyList<string> texts)
    {
        var lengths = texts.Select(t => _tokenizer.Encode(t, _maxTokens).Length).ToList();
        return (lengths.Average(), lengths.Count(n => n == _maxTokens) / (double)lengths.Count);
    }

    /// <summary>Embeds all texts; returns texts × d, row-major, input order.</summary>
    public float[] Embed(IReadOnlyList<string> texts)
    {
        var d = Dimension;
        var result = new float[texts.Count * d];
        for (var start = 0; start < texts.Count; start += _batchSize)
        {
            var count = Math.Min(_batchSize, texts.Count - start);
            var sequences = new int[count][];
            for (var i = 0; i < count; i++) sequences[i] = _tokenizer.Encode(texts[start + i], _maxTokens);
            RunBatch(sequences, result.AsSpan(start * d, count * d));
        }
        return result;
    }

    private void RunBatch(int[][] sequences, Span<float> output)
    {
        var n = sequences.Length;
        var length = _padding == RawPadding.MaxTokens ? _maxTokens : sequences.Max(s => s.Length);
        var ids = new long[n * length];
        var mask = new long[n * length];
        var types = new long[n * length];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < sequences[i].Length; j++)
            {
                ids[i * length + j] = sequences[i][j];
                mask[i * length + j] = 1;
            }
        long[] shape = [n, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var results = _session.Run(_runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);
        var states = results[0].GetTensorDataAsSpan<float>();
        var d = Dimension;
        for (var i = 0; i < n; i++)
        {
            var pooled = output.Slice(i * d, d);
            var real = sequences[i].Length;
            for (var t = 0; t < real; t++)
                TensorPrimitives.Add(pooled, states.Slice((i * length + t) * d, d), pooled);
            TensorPrimitives.Divide(pooled, real, pooled);
            var norm = TensorPrimitives.Norm(pooled);
            if (norm > 0f) TensorPrimitives.Divide(pooled, norm, pooled);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
