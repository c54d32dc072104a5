namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// A seeded uniform sample of at most <see cref="Capacity"/> rows from a stream of unknown length (Vitter's
/// Algorithm R): the first <c>Capacity</c> rows are kept, then row t (0-based) replaces a random slot with
/// probability Capacity/(t+1). Each row is copied as <see cref="float"/> (the point-based
/// measures of the geometry core take float rows), so the caller may reuse its buffer.
/// </summary>
internal sealed class ReservoirSample
{
    private readonly List<float[]> _rows = [];
    private readonly Random _random;
    private long _seen;

    public ReservoirSample(int capacity, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _random = new Random(seed);
    }

    /// <summary>The maximum number of rows kept.</summary>
    public int Capacity { get; }

    /// <summary>How many rows were offered.</summary>
    public long Seen => _seen;

    /// <summary>The sampled rows (in slot order).</summary>
    public IReadOnlyList<float[]> Rows => _rows;

    /// <summary>Offers one row to the sample.</summary>
    public void Offer(ReadOnlySpan<double> row)
    {
        if (_rows.Count < Capacity)
        {
            var copy = new float[row.Length];
            Copy(row, copy);
            _rows.Add(copy);
        }
        else
        {
            long slot = _random.NextInt64(_seen + 1);
            if (slot < Capacity)
                Copy(row, _rows[(int)slot]);
        }
        _seen++;
    }

    private static void Copy(ReadOnlySpan<double> source, float[] destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (float)source[i];
    }
}
