using System.Runtime.InteropServices;
using System.Text;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// On-disk cache of embedding sets, one file per <see cref="EmbeddingCacheKey"/> under <see cref="Folder"/>:
/// a magic line, the key's JSON header line, a line "count dimension", then count × dimension little-endian float32.
/// Files are written atomically (<see cref="AtomicFile"/>); a file whose header or size does not match is reported and
/// recomputed, never used.
/// </summary>
internal sealed class EmbeddingCache(string folder)
{
    private const string Magic = "mlnetiso-embedding-cache";

    /// <summary>Root folder of the cache.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>
    /// The default cache folder: <c>MLNETISO_STUDY_CACHE</c> if set, else <c>study-cache</c> beside the repository
    /// (outside the checkout, like <c>../shared</c>).
    /// </summary>
    public static string DefaultFolder()
    {
        var env = Environment.GetEnvironmentVariable("MLNETISO_STUDY_CACHE");
        return !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "study-cache"));
    }

    /// <summary>Full path of the file for <paramref name="key"/>.</summary>
    public string PathOf(EmbeddingCacheKey key) => Path.Combine(Folder, key.RelativePath);

    /// <summary>The cached set for <paramref name="key"/>, or null when absent or unusable (the reason is printed).</summary>
    public EmbeddingMatrix? TryRead(EmbeddingCacheKey key, int expectedCount)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = File.OpenRead(path);
            var magic = ReadLine(stream);
            var header = ReadLine(stream);
            var shape = ReadLine(stream).Split(' ');
            if (magic != Magic || header != key.Header())
                throw new InvalidDataException("its header does not match the requested key");
            if (shape.Length != 2 || !int.TryParse(shape[0], out var count) || !int.TryParse(shape[1], out var dimension)
                || count != expectedCount || dimension < 1)
                throw new InvalidDataException($"its shape line '{string.Join(' ', shape)}' does not describe {expectedCount} rows");
            var data = new float[(long)count * dimension];
            var bytes = MemoryMarshal.AsBytes(data.AsSpan());
            if (stream.Length - stream.Position != bytes.Length)
                throw new InvalidDataException($"it holds {stream.Length - stream.Position} data bytes, not {bytes.Length}");
            stream.ReadExactly(bytes);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The embedding cache is little-endian.");
            return new EmbeddingMatrix(data, count, dimension);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            Console.Error.WriteLine($"  cache file '{path}' is not used ({e.Message}); recomputing.");
            return null;
        }
    }

    /// <summary>Stores <paramref name="matrix"/> under <paramref name="key"/> atomically.</summary>
    public void Write(EmbeddingCacheKey key, EmbeddingMatrix matrix)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The embedding cache is little-endian.");
        AtomicFile.Write(PathOf(key), stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes($"{Magic}\n{key.Header()}\n{matrix.Count} {matrix.Dimension}\n"));
            stream.Write(MemoryMarshal.AsBytes(matrix.Data.AsSpan()));
        });
    }

    private static string ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = stream.ReadByte();
            if (b < 0) throw new EndOfStreamException("it ends inside its header");
            if (b == '\n') return Encoding.UTF8.GetString(bytes.ToArray());
            bytes.Add((byte)b);
            if (bytes.Count > 1 << 16) throw new InvalidDataException("its header line is too long");
        }
    }
}
