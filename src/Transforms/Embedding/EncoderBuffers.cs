using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Reusable input and output arrays of one caller (cursor or row) of an <see cref="EncoderSession"/>: they grow to
/// the largest batch seen and are then reused, so the steady state allocates no tensor memory. Not thread-safe:
/// one instance per cursor.
/// </summary>
internal sealed class EncoderBuffers
{
    /// <summary>Which encoder input a buffer feeds.</summary>
    public enum Slot { Ids, Mask, TypeIds }

    private readonly long[][] _long = [[], [], []];
    private readonly int[][] _int = [[], [], []];
    private float[] _output = [];

    /// <summary>An output array of at least <paramref name="length"/> floats.</summary>
    public float[] Output(int length) => Grow(ref _output, length);

    /// <summary>
    /// Writes a [n, length] input (ids, attention mask 1/0, or token types 0) padded with 0 after each sequence and
    /// wraps it in an <see cref="OrtValue"/> over the pinned array (no copy). The caller disposes the value.
    /// </summary>
    public OrtValue Fill(Slot slot, TensorElementType type, ReadOnlySpan<int[]> sequences, int length, long[] shape) =>
        type == TensorElementType.Int64
            ? Fill(ref _long[(int)slot], slot, sequences, length, shape)
            : Fill(ref _int[(int)slot], slot, sequences, length, shape);

    private static OrtValue Fill<T>(ref T[] buffer, Slot slot, ReadOnlySpan<int[]> sequences, int length, long[] shape)
        where T : unmanaged, INumber<T>
    {
        var count = sequences.Length * length;
        var data = Grow(ref buffer, count);
        var span = data.AsSpan(0, count);
        span.Clear();
        for (var i = 0; i < sequences.Length; i++)
        {
            var row = span.Slice(i * length, sequences[i].Length);
            switch (slot)
            {
                case Slot.Ids:
                    for (var t = 0; t < row.Length; t++) row[t] = T.CreateTruncating(sequences[i][t]);
                    break;
                case Slot.Mask:
                    row.Fill(T.One);
                    break;
            }
        }
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.AsMemory(0, count), shape);
    }

    private static T[] Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length) array = new T[Math.Max(length, array.Length * 2)];
        return array;
    }
}
