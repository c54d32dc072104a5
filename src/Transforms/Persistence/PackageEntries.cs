using System.IO.Compression;
using System.Text;

namespace MlNetIso.Transforms.Persistence;

/// <summary>Helpers for reading and writing package zip entries, with errors that name the package and the entry.</summary>
internal static class PackageEntries
{
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

    /// <summary>A seekable in-memory copy of entry <paramref name="name"/>; throws naming <paramref name="source"/> when absent.</summary>
    public static MemoryStream Read(ZipArchive zip, string name, string source)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"'{source}' has no entry '{name}'.");
        var buffer = new MemoryStream();
        using (var s = entry.Open()) s.CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>A UTF-8 text entry.</summary>
    public static string ReadText(ZipArchive zip, string name, string source)
    {
        using var s = Read(zip, name, source);
        return Encoding.UTF8.GetString(s.ToArray());
    }
}
