using MlNetIso.Cli.Arguments;

namespace MlNetIso.Cli.IO;

/// <summary>
/// Checks, before any long work starts, that an output can be written where the user asked: the folder can be
/// created and written, and a file path is not a folder. Failures are file-system errors naming the path (exit code 3),
/// so an hour of training is never lost to a typo in <c>--output</c>.
/// </summary>
internal static class OutputPaths
{
    /// <summary>Checks that <paramref name="path"/> can be written as a file; creates its folder.</summary>
    /// <exception cref="IOException">The path is a folder, or its folder cannot be created or written.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write there.</exception>
    public static void EnsureWritableFile(string path, string option)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"{option} '{DisplayPath.Of(full)}' is a folder; give a file path.");
        ProbeFolder(Path.GetDirectoryName(full)!, option, full);
    }

    /// <summary>Checks that <paramref name="folder"/> can be created (if needed) and written.</summary>
    /// <exception cref="IOException">The path is a file, or the folder cannot be created or written.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write there.</exception>
    public static void EnsureWritableFolder(string folder, string option)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full))
            throw new IOException($"{option} '{DisplayPath.Of(full)}' is a file; give a folder path.");
        ProbeFolder(full, option, full);
    }

    private static void ProbeFolder(string folder, string option, string target)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".mlnetiso-write-test-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"{option} '{DisplayPath.Of(target)}' cannot be written: no permission to write in '{DisplayPath.Of(folder, true)}'.", e);
        }
        catch (IOException e)
        {
            throw new IOException($"{option} '{DisplayPath.Of(target)}' cannot be written: {e.Message}", e);
        }
    }
}
