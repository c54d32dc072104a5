namespace MlNetIso.Geometry;

/// <summary>Shared checks for point clouds given as rows (<c>IReadOnlyList&lt;float[]&gt;</c>): messages name the row.</summary>
internal static class PointValidation
{
    /// <summary>Checks non-null, at least <paramref name="minimumRows"/> rows, equal lengths ≥ 1, finite values.</summary>
    /// <returns>The common dimension.</returns>
    public static int Check(IReadOnlyList<float[]> points, string name, int minimumRows)
    {
        ArgumentNullException.ThrowIfNull(points, name);
        if (points.Count < minimumRows)
            throw new ArgumentException($"Need at least {minimumRows} points, got {points.Count}.", name);
        int d = -1;
        for (int r = 0; r < points.Count; r++)
        {
            var row = points[r] ?? throw new ArgumentException($"Point (row) {r} is null.", name);
            if (d < 0)
            {
                d = row.Length;
                if (d == 0) throw new ArgumentException("Point (row) 0 has no values.", name);
            }
            else if (row.Length != d)
                throw new ArgumentException($"Point (row) {r} has {row.Length} values; row 0 has {d} (ragged rows).", name);
            for (int j = 0; j < row.Length; j++)
                if (!float.IsFinite(row[j]))
                    throw new ArgumentException($"Point (row) {r} holds a non-finite value ({row[j]}) at dimension {j}.", name);
        }
        return d;
    }

    /// <summary>Validated rows, centred on their mean and L2-normalised (zero rows stay zero), as an N×d array.</summary>
    public static double[,] ToCentredUnitRows(IReadOnlyList<float[]> points, string name)
    {
        int d = Check(points, name, 1);
        int n = points.Count;
        var mean = new double[d];
        foreach (var row in points)
            for (int j = 0; j < d; j++) mean[j] += row[j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        var z = new double[n, d];
        for (int r = 0; r < n; r++)
        {
            double norm2 = 0;
            for (int j = 0; j < d; j++)
            {
                double v = points[r][j] - mean[j];
                z[r, j] = v;
                norm2 += v * v;
            }
            if (norm2 == 0) continue;
            double inv = 1.0 / Math.Sqrt(norm2);
            for (int j = 0; j < d; j++) z[r, j] *= inv;
        }
        return z;
    }

    /// <summary>Covariance (ddof 1) of validated rows through the streaming accumulator.</summary>
    public static CovarianceAccumulator Accumulate(IReadOnlyList<float[]> points, int dimension)
    {
        var acc = new CovarianceAccumulator(dimension);
        foreach (var row in points) acc.Add(row);
        return acc;
    }
}
