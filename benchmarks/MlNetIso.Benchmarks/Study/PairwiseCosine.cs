namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Mean pairwise cosine similarity of a set of unit vectors, AvgCos = (1/(m(m−1))) Σ_{i≠j} cos(eᵢ, eⱼ), in O(md)
/// from the sum vector: Σ_{i≠j} eᵢ·eⱼ = ‖Σ eᵢ‖² − Σ ‖eᵢ‖². The weighted form serves the bootstrap: with item i drawn
/// wᵢ times, pairs of copies of the same item are left out (they would add cos = 1 and bias the resampled value up):
/// AvgCos_w = (‖Σ wᵢeᵢ‖² − Σ wᵢ²) / ((Σ wᵢ)² − Σ wᵢ²).
/// </summary>
internal static class PairwiseCosine
{
    /// <summary>Weighted mean pairwise cosine of the rows <paramref name="members"/> of <paramref name="unitRows"/> (NaN with fewer than two distinct items).</summary>
    /// <param name="unitRows">Row-major unit vectors (n × d).</param>
    /// <param name="dimension">d.</param>
    /// <param name="members">Row indices of the set.</param>
    /// <param name="weights">Multiplicity of every row index (null = 1 each).</param>
    /// <param name="sum">Scratch buffer of length d.</param>
    public static double Mean(float[] unitRows, int dimension, IReadOnlyList<int> members, int[]? weights, double[] sum)
    {
        Array.Clear(sum);
        var (total, squares) = Accumulate(unitRows, dimension, members, weights, sum);
        return FromSums(sum, total, squares);
    }

    /// <summary>Adds Σ wᵢeᵢ over <paramref name="members"/> to <paramref name="sum"/>; returns (Σ wᵢ, Σ wᵢ²).</summary>
    public static (double Total, double Squares) Accumulate(float[] unitRows, int dimension, IReadOnlyList<int> members, int[]? weights, double[] sum)
    {
        double total = 0, squares = 0;
        foreach (var i in members)
        {
            var w = weights is null ? 1 : weights[i];
            if (w == 0) continue;
            total += w;
            squares += (double)w * w;
            var row = unitRows.AsSpan(i * dimension, dimension);
            for (var k = 0; k < dimension; k++) sum[k] += w * row[k];
        }
        return (total, squares);
    }

    /// <summary>AvgCos_w from the weighted sum vector, Σ wᵢ and Σ wᵢ² (NaN when there is no pair of distinct items).</summary>
    public static double FromSums(double[] sum, double total, double squares)
    {
        var pairs = total * total - squares;
        if (pairs <= 0) return double.NaN;
        double norm = 0;
        for (var k = 0; k < sum.Length; k++) norm += sum[k] * sum[k];
        return (norm - squares) / pairs;
    }

    /// <summary>Scales every row of a row-major matrix to unit L2 norm (zero rows stay zero) and returns a new array.</summary>
    public static float[] Normalised(float[] rows, int dimension)
    {
        var result = (float[])rows.Clone();
        for (var offset = 0; offset < result.Length; offset += dimension)
        {
            var row = result.AsSpan(offset, dimension);
            double norm = 0;
            foreach (var v in row) norm += (double)v * v;
            if (norm == 0) continue;
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var k = 0; k < row.Length; k++) row[k] *= scale;
        }
        return result;
    }
}
