using System.Text;

namespace MlNetIso.Onnx.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a half-written one: the bytes
/// go to a temporary file beside the target, which is flushed to disk and then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>; on failure the target is left as it was.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
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

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8NoBom.GetBytes(text));

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
            // The original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
