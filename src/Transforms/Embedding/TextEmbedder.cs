using MlNetIso.Transforms.Embedding.Tokenization;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Turns texts into embeddings: put the prefix in front (a model's query prompt, usually none), tokenise (truncate,
/// or cut into overlapping windows), sort the sequences by length,
/// run them through the encoder in batches of <see cref="EmbeddingSettings.BatchSize"/> padded only to each batch's
/// longest sequence, pool, average the windows of a text weighted by their token counts (e = Σ nₖ·eₖ / Σ nₖ), and
/// L2-normalise. Large blocks are tokenised in parallel. Results are written in the order of the input texts.
/// Thread-safe: callers bring their own
/// <see cref="EmbedderWorkspace"/>.
/// </summary>
internal sealed class TextEmbedder : IDisposable
{
    /// <summary>Blocks of at least this many texts are tokenised in parallel (the tokenizer is thread-safe).</summary>
    private const int ParallelTokenizationThreshold = 16;

    private readonly EncoderSession _session;

    public BertTextTokenizer Tokenizer { get; }
    public EmbeddingSettings Settings { get; }
    public EncoderPackage Package { get; }

    /// <summary>Width d of every embedding.</summary>
    public int Dimension => _session.Dimension;

    /// <summary>The provider the encoder runs on (Cpu or Cuda).</summary>
    public EmbeddingExecutionProvider ActiveExecutionProvider => _session.ActiveExecutionProvider;

    /// <summary>Why CUDA is not used when Auto fell back to CPU; null otherwise.</summary>
    public string? FallbackReason => _session.FallbackReason;

    /// <summary>Whether the encoder outputs a pooled vector itself.</summary>
    public bool SignatureIsPooled => _session.Signature.OutputIsPooled;

    public TextEmbedder(EncoderPackage package)
    {
        Package = package;
        Settings = package.Settings;
        Tokenizer = package.CreateTokenizer();
        _session = new EncoderSession(package.ModelBytes, Settings, package.ModelName, Tokenizer.ClsId);
    }

    /// <summary>The text the tokenizer reads: <see cref="EmbeddingSettings.Prefix"/> (a model's query prompt) + the text.</summary>
    public string? Prefixed(string? text) => Settings.Prefix.Length == 0 ? text : Settings.Prefix + text;

    /// <summary>The token sequences the encoder sees for one text ([CLS] prefix … [SEP], one per window in Chunk mode).</summary>
    public IReadOnlyList<int[]> Tokenize(string? text) =>
        Settings.LongText == LongTextMode.Chunk
            ? Tokenizer.EncodeWindows(Prefixed(text), Settings.MaxTokens, Settings.ChunkOverlap)
            : [Tokenizer.Encode(Prefixed(text), Settings.MaxTokens)];

    /// <summary>Embeds <paramref name="texts"/> into <paramref name="output"/> (texts × d, row-major, input order).</summary>
    public void Embed(IReadOnlyList<string?> texts, Span<float> output, EmbedderWorkspace workspace)
    {
        var d = Dimension;
        if (output.Length < texts.Count * d)
            throw new ArgumentException($"The output span holds {output.Length} floats; {texts.Count} × {d} are needed.", nameof(output));
        workspace.Clear();
        var tokenized = new IReadOnlyList<int[]>[texts.Count];
        if (texts.Count >= ParallelTokenizationThreshold && Environment.ProcessorCount > 1)
            Parallel.For(0, texts.Count, i => tokenized[i] = Tokenize(texts[i]));
        else
            for (var i = 0; i < texts.Count; i++) tokenized[i] = Tokenize(texts[i]);
        for (var i = 0; i < texts.Count; i++)
            foreach (var sequence in tokenized[i])
                workspace.Add(sequence, i);

        var sorted = workspace.SortByLength();
        var pooled = workspace.Pooled(sorted.Length * d);
        for (var start = 0; start < sorted.Length; start += Settings.BatchSize)
        {
            var count = Math.Min(Settings.BatchSize, sorted.Length - start);
            _session.Run(sorted.AsSpan(start, count), Settings.Pooling, workspace.Buffers, pooled.AsSpan(start * d, count * d));
        }
        Combine(texts.Count, workspace, pooled, output[..(texts.Count * d)]);
    }

    private void Combine(int rows, EmbedderWorkspace workspace, float[] pooled, Span<float> output)
    {
        var d = Dimension;
        output.Clear();
        var weights = workspace.Weights(rows);
        var owners = workspace.SortedOwners;
        var lengths = workspace.SortedLengths;
        for (var k = 0; k < owners.Length; k++)
        {
            var row = output.Slice(owners[k] * d, d);
            var source = pooled.AsSpan(k * d, d);
            weights[owners[k]] += lengths[k];
            for (var j = 0; j < d; j++) row[j] += lengths[k] * source[j];
        }
        for (var r = 0; r < rows; r++)
        {
            var row = output.Slice(r * d, d);
            System.Numerics.Tensors.TensorPrimitives.Divide(row, weights[r], row);
            if (Settings.Normalize) EmbeddingMath.L2Normalize(row);
        }
    }

    public void Dispose() => _session.Dispose();
}
