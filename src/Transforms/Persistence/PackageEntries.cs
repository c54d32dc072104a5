using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace MlNetIso.Transforms.Persistence;

/// <summary>
/// Helpers for reading and writing package zip entries, with errors that name the package and the entry. A package
/// is untrusted input: every entry is checked before it is decompressed (<see cref="CheckEntry"/>), the bytes actually
/// decompressed are counted, and their CRC-32 is compared with the one the zip records (.NET's ZipArchive does not
/// check it), so a crafted or damaged zip (a "zip bomb", a lying size header, a flipped byte) ends in an
/// <see cref="InvalidDataException"/> instead of exhausting memory or reaching a reader as garbage.
/// </summary>
internal static class PackageEntries
{
    /// <summary>Largest entry read into memory: 2 GiB (the size of one .NET array).</summary>
    public const long MaxEntryBytes = 2_147_483_591; // Array.MaxLength for bytes

    /// <summary>
    /// Largest ratio of uncompressed to compressed size accepted for entries above <see cref="RatioCheckBytes"/>.
    /// Packages hold float weights (ratio ≈ 1.1), vocabularies (≈ 3–4) and JSON; only crafted data compresses 100-fold.
    /// </summary>
    public const double MaxCompressionRatio = 100;

    /// <summary>Entries smaller than this (1 MiB) are not ratio-checked: small JSON files legitimately compress well.</summary>
    public const long RatioCheckBytes = 1 << 20;

    /// <summary>Creates entry <paramref name="name"/> with the bytes <paramref name="write"/> produces.</summary>
    public static void Write(ZipArchive zip, string name, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        write(buffer);
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var s = entry.Open();
        buffer.Position = 0;
        buffer.CopyTo(s);
    }

    /// <summary>Creates a UTF-8 text entry.</summary>
    public static void WriteText(ZipArchive zip, string name, string text) =>
        Write(zip, name, s => s.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// A seekable in-memory copy of entry <paramref name="name"/>; throws <see cref="InvalidDataException"/> naming
    /// <paramref name="source"/> when it is absent, too large, suspiciously compressed or not what its header says.
    /// </summary>
    public static MemoryStream Read(ZipArchive zip, string name, string source)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"'{source}' has no entry '{name}'.");
        CheckEntry(entry, source);
        // Headers can lie: start at most 64 MiB large and let the stream grow with the bytes that really arrive.
        var buffer = new MemoryStream((int)Math.Min(entry.Length, 1 << 26));
        try
        {
            using var s = entry.Open();
            var chunk = new byte[Math.Min(1 << 16, Math.Max(1, entry.Length + 1))];
            long total = 0;
            int read;
            while ((read = s.Read(chunk, 0, chunk.Length)) > 0)
            {
                total += read;
                if (total > entry.Length)
                    throw new InvalidDataException(
                        $"'{source}': entry '{name}' decompresses to more than the {entry.Length} bytes its header declares; the package is corrupt or crafted.");
                buffer.Write(chunk, 0, read);
            }
            if (total != entry.Length)
                throw new InvalidDataException(
                    $"'{source}': entry '{name}' decompresses to {total} bytes, but its header declares {entry.Length}; the package is corrupt.");
            CheckCrc(entry, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), source);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith($"'{source}'", StringComparison.Ordinal))
        {
            buffer.Dispose();
            throw new InvalidDataException($"'{source}': entry '{name}' cannot be decompressed: {e.Message}", e);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>A UTF-8 text entry; invalid UTF-8 is refused naming the entry.</summary>
    public static string ReadText(ZipArchive zip, string name, string source)
    {
        using var s = Read(zip, name, source);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(s.GetBuffer(), 0, (int)s.Length);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"'{source}': entry '{name}' is not valid UTF-8 text: {e.Message}", e);
        }
    }

    /// <summary>Throws when <paramref name="bytes"/>, the content of <paramref name="entry"/>, do not have the CRC-32 the zip records.</summary>
    private static void CheckCrc(ZipArchiveEntry entry, ReadOnlySpan<byte> bytes, string source)
    {
        var actual = Crc32.HashToUInt32(bytes);
        if (actual != entry.Crc32)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"'{source}': entry '{entry.FullName}' has CRC-32 {actual:x8}, but the zip records {entry.Crc32:x8}; the package is damaged."));
    }

    /// <summary>
    /// Refuses an entry whose declared size is negative or above <see cref="MaxEntryBytes"/>, or that would expand more
    /// than <see cref="MaxCompressionRatio"/>-fold.
    /// </summary>
    public static void CheckEntry(ZipArchiveEntry entry, string source)
    {
        if (entry.Length < 0 || entry.Length > MaxEntryBytes)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"'{source}': entry '{entry.FullName}' declares {entry.Length} bytes; a package entry holds at most {MaxEntryBytes} bytes."));
        if (entry.Length > RatioCheckBytes && entry.Length > MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"'{source}': entry '{entry.FullName}' would expand {entry.CompressedLength} compressed bytes to {entry.Length} " +
                $"(more than {MaxCompressionRatio:0}-fold); refused as a possible zip bomb."));
    }

    /// <summary>
    /// Reads every entry of the nested zip in <paramref name="nested"/> (an ML.NET model segment) as <see cref="Read"/>
    /// does — sizes, expansion and CRC-32 checked — before ML.NET's own loader opens it (a damaged schema entry made
    /// that loader spin); the stream is rewound.
    /// </summary>
    public static void CheckNestedZip(MemoryStream nested, string name, string source)
    {
        try
        {
            using var zip = new ZipArchive(nested, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in zip.Entries)
                Read(zip, entry.FullName, $"{source}:{name}").Dispose();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith($"'{source}:{name}'", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{source}': entry '{name}' is not a valid ML.NET model zip: {e.Message}", e);
        }
        nested.Position = 0;
    }
}
