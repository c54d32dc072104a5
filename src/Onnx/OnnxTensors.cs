using System.Runtime.InteropServices;
using Google.Protobuf;
using MlNetIso.Onnx.Proto;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Onnx;

/// <summary>
/// Conversions between <see cref="TensorProto"/> and .NET arrays. Writers always use little-endian <c>raw_data</c>;
/// readers accept <c>raw_data</c>, the typed repeated fields, and external data resolved against a model folder.
/// </summary>
internal static class OnnxTensors
{
    public static TensorProto FromFloats(string name, ReadOnlySpan<float> data, params long[] dims) => FromRaw(name, data, DataType.Float, dims);

    public static TensorProto FromLongs(string name, ReadOnlySpan<long> data, params long[] dims) => FromRaw(name, data, DataType.Int64, dims);

    /// <summary>A tensor of <paramref name="dataType"/> whose little-endian <c>raw_data</c> are the bytes of <paramref name="data"/>.</summary>
    private static TensorProto FromRaw<T>(string name, ReadOnlySpan<T> data, DataType dataType, long[] dims) where T : unmanaged
    {
        CheckCount(name, data.Length, dims);
        return new TensorProto
        {
            Name = name,
            DataType = (int)dataType,
            Dims = { dims },
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)),
        };
    }

    public static TensorProto FromSBytes(string name, ReadOnlySpan<sbyte> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        return new TensorProto
        {
            Name = name,
            DataType = (int)DataType.Int8,
            Dims = { dims },
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)),
        };
    }

    /// <summary>
    /// A tensor of element type <paramref name="dataType"/> (float, double, float16 or bfloat16) holding
    /// <paramref name="value"/> in every element of shape <paramref name="dims"/>.
    /// </summary>
    public static TensorProto ScalarOfType(string name, double value, int dataType, params long[] dims)
    {
        var count = checked((int)dims.Aggregate(1L, (a, b) => a * b));
        byte[] bytes;
        switch ((DataType)dataType)
        {
            case DataType.Float:
                bytes = MemoryMarshal.AsBytes(Enumerable.Repeat((float)value, count).ToArray().AsSpan()).ToArray();
                break;
            case DataType.Double:
                bytes = MemoryMarshal.AsBytes(Enumerable.Repeat(value, count).ToArray().AsSpan()).ToArray();
                break;
            case DataType.Float16:
                bytes = MemoryMarshal.AsBytes(Enumerable.Repeat((Half)value, count).ToArray().AsSpan()).ToArray();
                break;
            case DataType.Bfloat16:
                var bits = BFloat16Bits((float)value);
                bytes = MemoryMarshal.AsBytes(Enumerable.Repeat(bits, count).ToArray().AsSpan()).ToArray();
                break;
            default:
                throw new NotSupportedException(
                    $"Tensor '{name}': element type {(DataType)dataType} is not a floating-point type.");
        }
        return new TensorProto { Name = name, DataType = dataType, Dims = { dims }, RawData = ByteString.CopyFrom(bytes) };
    }

    /// <summary>Element count implied by the tensor's dims.</summary>
    public static long ElementCount(TensorProto t) => t.Dims.Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// Values of a float, double, float16 or bfloat16 tensor as <see cref="float"/>. External data is read from
    /// <paramref name="modelFolder"/> (required for such tensors).
    /// </summary>
    /// <exception cref="InvalidDataException">Not a floating-point tensor, or its data does not hold as many values as
    /// its dims say (a corrupt or edited model).</exception>
    public static float[] ToFloats(TensorProto t, string? modelFolder = null) => Counted(t, DecodeFloats(t, modelFolder));

    /// <summary>Values of an int64 or int32 tensor as <see cref="long"/>.</summary>
    /// <exception cref="InvalidDataException">Not an integer tensor, or its data does not hold as many values as its dims say.</exception>
    public static long[] ToLongs(TensorProto t, string? modelFolder = null) => Counted(t, DecodeLongs(t, modelFolder));

    /// <summary><paramref name="values"/>, after checking that there are exactly as many as <paramref name="t"/>'s dims need.</summary>
    private static T[] Counted<T>(TensorProto t, T[] values)
    {
        if (t.Dims.Any(d => d < 0) || values.Length != ElementCount(t))
            throw new InvalidDataException(
                $"Tensor '{t.Name}' holds {values.Length} {(DataType)t.DataType} values, but its dims [{string.Join(", ", t.Dims)}] need " +
                $"{(t.Dims.Any(d => d < 0) ? "a non-negative size" : ElementCount(t).ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
        return values;
    }

    private static float[] DecodeFloats(TensorProto t, string? modelFolder)
    {
        var type = (DataType)t.DataType;
        var raw = RawBytes(t, modelFolder);
        switch (type)
        {
            case DataType.Float:
                return raw is null ? t.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(raw).ToArray();
            case DataType.Double:
                return (raw is null ? t.DoubleData.ToArray() : MemoryMarshal.Cast<byte, double>(raw).ToArray())
                    .Select(d => (float)d).ToArray();
            case DataType.Float16:
                return raw is null
                    ? t.Int32Data.Select(b => (float)BitConverter.UInt16BitsToHalf((ushort)b)).ToArray()
                    : MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(h => (float)h).ToArray();
            case DataType.Bfloat16:
                var words = raw is null
                    ? t.Int32Data.Select(b => (ushort)b).ToArray()
                    : MemoryMarshal.Cast<byte, ushort>(raw).ToArray();
                return words.Select(w => BitConverter.Int32BitsToSingle(w << 16)).ToArray();
            default:
                throw new InvalidDataException($"Tensor '{t.Name}' has element type {type}, not a floating-point type.");
        }
    }

    private static long[] DecodeLongs(TensorProto t, string? modelFolder)
    {
        var type = (DataType)t.DataType;
        var raw = RawBytes(t, modelFolder);
        return type switch
        {
            DataType.Int64 => raw is null ? t.Int64Data.ToArray() : MemoryMarshal.Cast<byte, long>(raw).ToArray(),
            DataType.Int32 => raw is null
                ? t.Int32Data.Select(v => (long)v).ToArray()
                : MemoryMarshal.Cast<byte, int>(raw).ToArray().Select(v => (long)v).ToArray(),
            _ => throw new InvalidDataException($"Tensor '{t.Name}' has element type {type}, not int64 or int32."),
        };
    }

    private static byte[]? RawBytes(TensorProto t, string? modelFolder)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
        {
            if (modelFolder is null)
                throw new InvalidOperationException(
                    $"Tensor '{t.Name}' keeps its data in an external file; the model folder is needed to read it.");
            var ext = OnnxExternalData.Describe(t, modelFolder, "model");
            using var stream = File.OpenRead(ext.FullPath);
            stream.Seek(ext.Offset, SeekOrigin.Begin);
            var buffer = new byte[ext.Length ?? (stream.Length - ext.Offset)];
            stream.ReadExactly(buffer);
            return buffer;
        }
        return t.RawData.IsEmpty ? null : t.RawData.ToByteArray();
    }

    private static ushort BFloat16Bits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        var rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + rounding) >> 16);
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
            throw new ArgumentException(
                $"Tensor '{name}': {count} values do not fill shape [{string.Join(", ", dims)}] ({expected} elements).");
    }
}
