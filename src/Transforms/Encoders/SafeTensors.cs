using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Reads and writes the Hugging Face <c>safetensors</c> checkpoint format in pure C#: an 8-byte little-endian
/// header length N, an N-byte UTF-8 JSON header <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
/// {string: string}}</c>, then the raw little-endian tensor bytes (offsets are relative to the end of the header).
/// Reading converts <c>F32</c>, <c>F16</c>, <c>BF16</c> and <c>F64</c> to float32, and the integer types <c>I64</c>,
/// <c>I32</c>, <c>I16</c>, <c>I8</c>, <c>U8</c> and <c>BOOL</c> to float32 too (exact up to 2^24; such tensors, like
/// BERT's <c>position_ids</c> buffer, are bookkeeping rather than weights). Writing always uses <c>F32</c>.
/// </summary>
internal static class SafeTensors
{
    /// <summary>Largest JSON header accepted (the reference implementation uses the same 100 MB cap).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Reads every tensor of the file at <paramref name="path"/>; errors name the file and tensor.</summary>
    public static IReadOnlyDictionary<string, NamedTensor> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads every tensor from a seekable or forward-only stream; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyDictionary<string, NamedTensor> Read(Stream stream, string source = "safetensors stream")
        => ReadWithMetadata(stream, source).Tensors;

    /// <summary>Reads the tensors and the optional <c>__metadata__</c> string map of the file at <paramref name="path"/>.</summary>
    public static (IReadOnlyDictionary<string, NamedTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
        ReadWithMetadata(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return ReadWithMetadata(stream, path);
    }

    /// <summary>Reads the tensors and the optional <c>__metadata__</c> string map from a stream.</summary>
    public static (IReadOnlyDictionary<string, NamedTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
        ReadWithMetadata(Stream stream, string source = "safetensors stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var lengthBytes = new byte[8];
        ReadExactly(stream, lengthBytes, source, "the 8-byte header length");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 1 || headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"{source}: header length {headerLength} is not a valid safetensors header size.");
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, source, "the JSON header");

        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject
                     ?? throw new InvalidDataException($"{source}: the safetensors header is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid JSON: {e.Message}", e);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<TensorEntry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject meta)
                    foreach (var (k, v) in meta)
                        metadata[k] = v?.GetValue<string>() ?? "";
                continue;
            }
            entries.Add(TensorEntry.Parse(name, node, source));
        }

        // Tensors are read in file order so forward-only streams work.
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        var tensors = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        long position = 0;
        foreach (var e in entries)
        {
            if (e.Begin < position)
                throw new InvalidDataException($"{source}: tensor '{e.Name}' overlaps the previous tensor.");
            Skip(stream, e.Begin - position, source, e.Name);
            var raw = new byte[e.End - e.Begin];
            ReadExactly(stream, raw, source, $"the data of tensor '{e.Name}'");
            position = e.End;
            tensors[e.Name] = new NamedTensor(e.Shape, Decode(raw, e.DType, e.Name, source));
        }
        return (tensors, metadata);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> as float32 to <paramref name="path"/> in name order, with an optional
    /// <c>__metadata__</c> map (Hugging Face writes <c>{"format": "pt"}</c>, which is the default here). The file is
    /// written atomically (temporary file beside it, then rename).
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, NamedTensor> tensors,
                             IReadOnlyDictionary<string, string>? metadata = null)
        => AtomicFile.Write(path, stream => Write(stream, tensors, metadata));

    /// <summary>Writes <paramref name="tensors"/> as float32 safetensors bytes to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, NamedTensor> tensors,
                             IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        var meta = new JsonObject();
        foreach (var (k, v) in metadata ?? new Dictionary<string, string> { ["format"] = "pt" })
            meta[k] = v;
        header["__metadata__"] = meta;
        long offset = 0;
        foreach (var name in names)
        {
            var t = tensors[name];
            if (name == "__metadata__")
                throw new ArgumentException("A tensor may not be named '__metadata__'.", nameof(tensors));
            if (t.Data.LongLength != t.ElementCount)
                throw new ArgumentException(
                    $"Tensor '{name}' has {t.Data.LongLength} values but its shape [{string.Join(", ", t.Shape)}] needs {t.ElementCount}.",
                    nameof(tensors));
            long bytes = t.Data.LongLength * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // align the data section to 8 bytes with trailing spaces
        var lengthBytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(lengthBytes, padded);
        stream.Write(lengthBytes);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var name in names)
            WriteFloats(stream, tensors[name].Data);
        stream.Flush();
    }

    private static void WriteFloats(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        var buffer = new byte[sizeof(float)];
        foreach (var v in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
            stream.Write(buffer);
        }
    }

    private static float[] Decode(byte[] raw, string dtype, string name, string source)
    {
        int size = ElementSize(dtype);
        int n = raw.Length / size;
        var result = new float[n];
        var span = raw.AsSpan();
        switch (dtype)
        {
            case "F32":
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(span).CopyTo(result);
                else for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(4 * i)..]);
                break;
            case "F64":
                for (int i = 0; i < n; i++) result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(span[(8 * i)..]);
                break;
            case "F16":
                for (int i = 0; i < n; i++) result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(span[(2 * i)..]);
                break;
            case "BF16":
                for (int i = 0; i < n; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * i)..]) << 16);
                break;
            case "I64":
                for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadInt64LittleEndian(span[(8 * i)..]);
                break;
            case "I32":
                for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(4 * i)..]);
                break;
            case "I16":
                for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadInt16LittleEndian(span[(2 * i)..]);
                break;
            case "I8":
                for (int i = 0; i < n; i++) result[i] = (sbyte)raw[i];
                break;
            case "U8":
            case "BOOL":
                for (int i = 0; i < n; i++) result[i] = raw[i];
                break;
            default:
                throw new InvalidDataException($"{source}: tensor '{name}' has unsupported dtype '{dtype}'.");
        }
        return result;
    }

    internal static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" => 8,
        "F32" or "I32" => 4,
        "F16" or "BF16" or "I16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => 0,
    };

    private static void ReadExactly(Stream stream, byte[] buffer, string source, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{source}: the file ends inside {what} (truncated safetensors file).", e);
        }
    }

    private static void Skip(Stream stream, long count, string source, string name)
    {
        if (count == 0) return;
        if (stream.CanSeek)
        {
            stream.Seek(count, SeekOrigin.Current);
            return;
        }
        var buffer = new byte[Math.Min(count, 81920)];
        while (count > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (read == 0) throw new InvalidDataException($"{source}: the file ends before tensor '{name}'.");
            count -= read;
        }
    }

    private sealed record TensorEntry(string Name, string DType, long[] Shape, long Begin, long End)
    {
        public static TensorEntry Parse(string name, JsonNode? node, string source)
        {
            if (node is not JsonObject o)
                throw new InvalidDataException($"{source}: header entry '{name}' is not an object.");
            try
            {
                var dtype = o["dtype"]?.GetValue<string>()
                            ?? throw new InvalidDataException($"{source}: tensor '{name}' has no dtype.");
                var shape = (o["shape"] as JsonArray ?? throw new InvalidDataException($"{source}: tensor '{name}' has no shape."))
                    .Select(d => d!.GetValue<long>()).ToArray();
                var offsets = o["data_offsets"] as JsonArray;
                if (offsets is null || offsets.Count != 2)
                    throw new InvalidDataException($"{source}: tensor '{name}' needs data_offsets [begin, end].");
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                int size = ElementSize(dtype);
                if (size == 0)
                    throw new InvalidDataException($"{source}: tensor '{name}' has unsupported dtype '{dtype}'.");
                if (shape.Any(d => d < 0))
                    throw new InvalidDataException($"{source}: tensor '{name}' has a negative dimension.");
                long count = shape.Aggregate(1L, (a, b) => a * b);
                if (begin < 0 || end < begin || end - begin != count * size)
                    throw new InvalidDataException(
                        $"{source}: tensor '{name}' data_offsets [{begin}, {end}] do not match {dtype} shape [{string.Join(", ", shape)}].");
                if (count > Array.MaxLength)
                    throw new InvalidDataException($"{source}: tensor '{name}' is too large for one array.");
                return new TensorEntry(name, dtype, shape, begin, end);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{source}: header entry '{name}' is malformed: {e.Message}", e);
            }
        }
    }
}
