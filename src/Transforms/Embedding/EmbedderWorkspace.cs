namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Per-caller scratch space of <see cref="TextEmbedder.Embed"/>: the sequences of one read-ahead block, their
/// owners (row index), the length-sorted order and the reusable encoder buffers. Not thread-safe.
/// </summary>
internal sealed class EmbedderWorkspace
{
    private readonly List<int[]> _sequences = [];
    private readonly List<int> _owners = [];
    private float[] _pooled = [];
    private float[] _weights = [];

    public EncoderBuffers Buffers { get; } = new();

    /// <summary>Owner row of each sequence, in length-sorted order (valid after <see cref="SortByLength"/>).</summary>
    public int[] SortedOwners { get; private set; } = [];

    /// <summary>Token count of each sequence, in length-sorted order.</summary>
    public int[] SortedLengths { get; private set; } = [];

    public void Clear()
    {
        _sequences.Clear();
        _owners.Clear();
    }

    public void Add(int[] sequence, int owner)
    {
        _sequences.Add(sequence);
        _owners.Add(owner);
    }

    /// <summary>Sequences ordered by (length, original position) — a deterministic, stable sort.</summary>
    public int[][] SortByLength()
    {
        var order = Enumerable.Range(0, _sequences.Count).ToArray();
        var keys = order.Select(i => ((long)_sequences[i].Length << 32) | (uint)i).ToArray();
        Array.Sort(keys, order);
        SortedOwners = order.Select(i => _owners[i]).ToArray();
        SortedLengths = order.Select(i => _sequences[i].Length).ToArray();
        return order.Select(i => _sequences[i]).ToArray();
    }

    public float[] Pooled(int length)
    {
        if (_pooled.Length < length) _pooled = new float[length];
        return _pooled;
    }

    /// <summary>Zeroed per-row weight accumulators.</summary>
    public Span<float> Weights(int rows)
    {
        if (_weights.Length < rows) _weights = new float[rows];
        var span = _weights.AsSpan(0, rows);
        span.Clear();
        return span;
    }
}
