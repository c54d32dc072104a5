using System.Text;

namespace MlNetIso.Transforms.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a half-written file: the
/// bytes go to a temporary file beside the target (same folder, so the same file system), are flushed to the disk,
/// and the temporary file is then renamed over the target (an atomic replace on POSIX file systems and NTFS).
/// A failure deletes the temporary file and leaves the target as it was.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> on a temporary stream beside <paramref name="path"/>, then renames it into place.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = TempPathBeside(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Atomically writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Atomically writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>A temporary file name in the folder of <paramref name="fullPath"/> that no other writer uses.</summary>
    internal static string TempPathBeside(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temporary file has a unique name and is never read.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
