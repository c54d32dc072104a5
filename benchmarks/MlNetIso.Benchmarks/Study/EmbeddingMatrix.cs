namespace MlNetIso.Benchmarks.Study;

/// <summary>Embeddings of a text set: <see cref="Count"/> rows of <see cref="Dimension"/> floats, row-major.</summary>
/// <param name="Data">Count × Dimension values, row i at [i·Dimension, (i+1)·Dimension).</param>
/// <param name="Count">Number of rows (texts).</param>
/// <param name="Dimension">Width d of every row.</param>
internal sealed record EmbeddingMatrix(float[] Data, int Count, int Dimension)
{
    /// <summary>Row <paramref name="i"/>.</summary>
    public ReadOnlySpan<float> Row(int i) => Data.AsSpan(i * Dimension, Dimension);

    /// <summary>Row <paramref name="i"/> as a new array (for ML.NET's enumerable loaders).</summary>
    public float[] RowArray(int i) => Data.AsSpan(i * Dimension, Dimension).ToArray();

    /// <summary>All rows as arrays, in order.</summary>
    public IReadOnlyList<float[]> Rows() => Enumerable.Range(0, Count).Select(RowArray).ToList();
}
