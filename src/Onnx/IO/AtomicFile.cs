using System.Text;

namespace MlNetIso.Onnx.IO;

/// <summary>
/// The project's one way to write a file or a folder so that readers see either the old one or the complete new one,
/// never a half-written one, whatever happens to the writer (an exception, a full disk, <c>kill -9</c>, power loss).
/// </summary>
/// <remarks>
/// <para>A file: the bytes go to a temporary file beside the target (<c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>, so on
/// the same file system and unique per writer), which is flushed to disk (<c>fsync</c>) and then renamed over the
/// target (an atomic replace on POSIX file systems and NTFS). On failure the temporary file is deleted and the target
/// is left as it was. A writer killed mid-way leaves its hidden temporary file behind and the target intact;
/// <see cref="RemoveLeftovers"/> deletes such files where the caller knows no other writer is running.</para>
/// <para>A folder (<see cref="WriteFolder"/>): the files are written into a temporary folder beside the target and
/// flushed; a new folder then appears by one rename. Replacing an existing folder moves the old one aside first
/// (<c>.&lt;name&gt;.&lt;guid&gt;.old</c>), renames the new one in and deletes the old one, so a crash in between
/// leaves the old folder under that name rather than losing it; merging into an existing folder renames the new files
/// over the old ones one by one, which keeps the window in which a reader can see a mix of old and new files down to
/// those renames.</para>
/// <para>Used by every writer in the libraries (model packages, TempScale rewrites, encoder folders and exports,
/// safetensors, configs, the built-in model cache, isotropy reports) and by the CLI and tools, through
/// InternalsVisibleTo.</para>
/// </remarks>
internal static class AtomicFile
{
    private const string TempSuffix = ".tmp";
    private const string AsideSuffix = ".old";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly AsyncLocal<Func<Stream, Stream>?> StreamInterceptor = new();

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>; on failure the target is left as it was.</summary>
    /// <exception cref="IOException">The folder cannot be written, the disk is full, or the rename fails; the message names the file.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"Cannot write the file '{full}': a folder of that name exists.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = TempPathBeside(full);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                if (StreamInterceptor.Value is { } intercept)
                {
                    using var wrapped = intercept(file);
                    write(wrapped);
                    wrapped.Flush();
                }
                else
                {
                    write(file);
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDeleteFile(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8NoBom.GetBytes(text));

    /// <summary>
    /// Writes a folder: <paramref name="fill"/> writes the files into the empty temporary folder it is given (plain
    /// writes are fine: every file in it is flushed to disk before anything is renamed). Then, when
    /// <paramref name="folder"/> does not exist, the temporary folder is renamed to it. When it exists and
    /// <paramref name="replace"/> is true, the old folder is moved aside, the new one renamed in and the old one deleted;
    /// when <paramref name="replace"/> is false, each new file is renamed over its namesake and files that
    /// <paramref name="fill"/> did not write are kept. On failure the temporary folder is deleted.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be written; the message names it.</exception>
    public static void WriteFolder(string folder, Action<string> fill, bool replace = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(fill);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (File.Exists(full))
            throw new IOException($"Cannot write the folder '{full}': a file of that name exists.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = TempPathBeside(full);
        try
        {
            Directory.CreateDirectory(temp);
            fill(temp);
            foreach (var file in Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories))
                FlushToDisk(file);
            if (!Directory.Exists(full))
            {
                Directory.Move(temp, full);
                return;
            }
            if (replace)
            {
                var aside = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{AsideSuffix}");
                Directory.Move(full, aside);
                Directory.Move(temp, full);
                TryDeleteFolder(aside);
                return;
            }
            foreach (var file in Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories).ToList())
            {
                var target = Path.Combine(full, Path.GetRelativePath(temp, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(file, target, overwrite: true);
            }
            TryDeleteFolder(temp);
        }
        catch
        {
            TryDeleteFolder(temp);
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary files and folders (<c>.&lt;name&gt;.*.tmp</c>) and set-aside folders
    /// (<c>.&lt;name&gt;.*.old</c>) that writers of <paramref name="path"/> killed mid-way left beside it. Call it only
    /// where no other writer of the same target can be running (for example under a lock).
    /// </summary>
    public static void RemoveLeftovers(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent)) return;
        var prefix = $".{Path.GetFileName(full)}.";
        foreach (var entry in Directory.EnumerateFileSystemEntries(parent, prefix + "*"))
        {
            var name = Path.GetFileName(entry);
            if (!name.EndsWith(TempSuffix, StringComparison.Ordinal) && !name.EndsWith(AsideSuffix, StringComparison.Ordinal)) continue;
            if (Directory.Exists(entry)) TryDeleteFolder(entry);
            else TryDeleteFile(entry);
        }
    }

    /// <summary>
    /// Test hook: until the returned object is disposed, every <see cref="Write"/> on this asynchronous flow writes
    /// through the stream <paramref name="wrap"/> returns around the temporary file, e.g. one that throws part-way as a
    /// full disk would.
    /// </summary>
    internal static IDisposable InterceptWrites(Func<Stream, Stream> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        var previous = StreamInterceptor.Value;
        StreamInterceptor.Value = wrap;
        return new Restore(() => StreamInterceptor.Value = previous);
    }

    /// <summary>A temporary file name in the folder of <paramref name="fullPath"/> that no other writer uses.</summary>
    internal static string TempPathBeside(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}{TempSuffix}");

    private static void FlushToDisk(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1);
        stream.Flush(flushToDisk: true);
    }

    private static void TryDeleteFile(string path)
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

    private static void TryDeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: RemoveLeftovers deletes it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
