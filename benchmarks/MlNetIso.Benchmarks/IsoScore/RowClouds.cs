using MlNetIso.Onnx.IO;

namespace MlNetIso.Benchmarks.IsoScore;

/// <summary>
/// Seeded point clouds for the IsoScore benchmark, as row-major float arrays (m × d), and the raw file the Python
/// reference reads the same rows from.
/// </summary>
internal static class RowClouds
{
    /// <summary>Independent N(0, 1) values (Box–Muller).</summary>
    public static float[] Gaussian(int m, int d, int seed)
    {
        var rng = new Random(seed);
        var data = new float[(long)m * d];
        for (long i = 0; i < data.Length; i++) data[i] = (float)Normal(rng);
        return data;
    }

    /// <summary>
    /// Hidden-state-like rows (as BERT's last layer): isotropic noise (σ 0.5), a shared rank-8 component (loadings
    /// N(0, 1), factors N(0, 0.5²)) that makes the cloud anisotropic, and three rogue dimensions (d/10, 2d/5, 4d/5) with
    /// large means (8, −12, 25) and standard deviations (4, 6, 10); then every value is multiplied by
    /// <paramref name="scale"/> and shifted by <paramref name="offset"/>.
    /// </summary>
    public static float[] HiddenStateLike(int m, int d, int seed, double scale = 1, double offset = 0)
    {
        const int rank = 8;
        var rng = new Random(seed);
        var loadings = new double[rank * d];
        for (int i = 0; i < loadings.Length; i++) loadings[i] = Normal(rng);
        int[] rogue = [d / 10, 2 * d / 5, 4 * d / 5];
        double[] rogueMean = [8, -12, 25], rogueSd = [4, 6, 10];
        var data = new float[(long)m * d];
        var factors = new double[rank];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < rank; k++) factors[k] = 0.5 * Normal(rng);
            for (int j = 0; j < d; j++)
            {
                double v = 0.5 * Normal(rng);
                for (int k = 0; k < rank; k++) v += factors[k] * loadings[k * d + j];
                int r = Array.IndexOf(rogue, j);
                if (r >= 0) v += rogueMean[r] + rogueSd[r] * Normal(rng);
                data[(long)i * d + j] = (float)(v * scale + offset);
            }
        }
        return data;
    }

    /// <summary>Writes the values as raw little-endian float32 (what <c>isoscore_reference.py --rows</c> reads), atomically
    /// (<see cref="AtomicFile"/>).</summary>
    public static void WriteRaw(float[] data, string path)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The raw row file is little-endian.");
        AtomicFile.Write(path, stream => stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan())));
    }

    private static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
