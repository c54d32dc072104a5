namespace MlNetIso.Benchmarks.IsoScore;

/// <summary>
/// The baseline the benchmark compares against: a plain two-pass covariance (a mean pass, then the textbook
/// triple loop over rows × upper-triangle entries in double), followed by the same trace-form IsoScore.
/// </summary>
internal static class NaiveCovariance
{
    /// <summary>ddof-1 covariance of <paramref name="rowCount"/> rows stored row-major.</summary>
    public static double[,] Compute(float[] data, int rowCount, int d)
    {
        var mean = new double[d];
        for (int r = 0; r < rowCount; r++)
            for (int j = 0; j < d; j++) mean[j] += data[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= rowCount;

        var c = new double[d, d];
        var centred = new double[d];
        for (int r = 0; r < rowCount; r++)
        {
            for (int j = 0; j < d; j++) centred[j] = data[r * d + j] - mean[j];
            for (int i = 0; i < d; i++)
            {
                double ci = centred[i];
                for (int j = i; j < d; j++) c[i, j] += ci * centred[j];
            }
        }
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
            {
                c[i, j] /= rowCount - 1;
                c[j, i] = c[i, j];
            }
        return c;
    }
}
