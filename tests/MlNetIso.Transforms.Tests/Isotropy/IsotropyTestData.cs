using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Tests.Isotropy;

/// <summary>Small synthetic embedding columns and helpers to move them in and out of ML.NET data views.</summary>
internal static class IsotropyTestData
{
    public const string Column = "Features";

    /// <summary>A row with a Single vector column.</summary>
    public sealed class FloatRow
    {
        public float[] Features { get; set; } = [];
    }

    /// <summary>A row with a Double vector column.</summary>
    public sealed class DoubleRow
    {
        public double[] Features { get; set; } = [];
    }

    /// <summary>n rows of an anisotropic Gaussian: coordinate j has standard deviation scales[j], plus an offset.</summary>
    public static float[][] Gaussian(int n, double[] scales, double offset = 0.5, int seed = 1)
    {
        var random = new Random(seed);
        var rows = new float[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new float[scales.Length];
            for (int j = 0; j < scales.Length; j++)
                rows[i][j] = (float)(offset * (j + 1) + scales[j] * Normal(random));
        }
        return rows;
    }

    /// <summary>A correlated cloud: Gaussian rows times a fixed random mixing matrix (so principal axes are not the coordinate axes).</summary>
    public static float[][] Correlated(int n, int d, int seed = 2)
    {
        var scales = Enumerable.Range(0, d).Select(j => 3.0 / (j + 1)).ToArray();
        var raw = Gaussian(n, scales, offset: 0.0, seed: seed);
        var random = new Random(seed + 100);
        var mix = new double[d, d];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                mix[a, b] = Normal(random);
        return [.. raw.Select(r =>
        {
            var y = new float[d];
            for (int b = 0; b < d; b++)
            {
                double s = 1.0 + b;
                for (int a = 0; a < d; a++)
                    s += r[a] * mix[a, b];
                y[b] = (float)s;
            }
            return y;
        })];
    }

    public static double Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A data view with a <c>Vector&lt;Single, d&gt;</c> (or unknown-size, when <paramref name="knownSize"/> is false) column.</summary>
    public static IDataView ToDataView(MLContext mlContext, IEnumerable<float[]> rows, bool knownSize = true)
    {
        var list = rows.Select(r => new FloatRow { Features = r }).ToList();
        var definition = SchemaDefinition.Create(typeof(FloatRow));
        if (knownSize)
            definition[Column].ColumnType = new VectorDataViewType(NumberDataViewType.Single, list[0].Features.Length);
        return mlContext.Data.LoadFromEnumerable(list, definition);
    }

    /// <summary>A data view with a <c>Vector&lt;Double, d&gt;</c> (or unknown-size) column.</summary>
    public static IDataView ToDoubleDataView(MLContext mlContext, IEnumerable<double[]> rows, bool knownSize = true)
    {
        var list = rows.Select(r => new DoubleRow { Features = r }).ToList();
        var definition = SchemaDefinition.Create(typeof(DoubleRow));
        if (knownSize)
            definition[Column].ColumnType = new VectorDataViewType(NumberDataViewType.Double, list[0].Features.Length);
        return mlContext.Data.LoadFromEnumerable(list, definition);
    }

    /// <summary>Reads a Single vector column into arrays.</summary>
    public static float[][] ReadColumn(IDataView view, string column)
    {
        var col = view.Schema[column];
        var rows = new List<float[]>();
        using var cursor = view.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            rows.Add(buffer.DenseValues().ToArray());
        }
        return [.. rows];
    }

    /// <summary>Column means.</summary>
    public static double[] Mean(float[][] rows)
    {
        var mean = new double[rows[0].Length];
        foreach (var r in rows)
            for (int j = 0; j < mean.Length; j++)
                mean[j] += r[j];
        return [.. mean.Select(m => m / rows.Length)];
    }

    /// <summary>Sample covariance (ddof 1), computed directly (two passes) as an independent reference.</summary>
    public static double[,] Covariance(float[][] rows)
    {
        var mean = Mean(rows);
        int d = mean.Length;
        var c = new double[d, d];
        foreach (var r in rows)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                    c[a, b] += (r[a] - mean[a]) * (r[b] - mean[b]);
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                c[a, b] /= rows.Length - 1;
        return c;
    }
}
