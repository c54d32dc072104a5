namespace MlNetIso.Cli.Arguments;

/// <summary>Paths as the tool prints them: relative to the working directory when inside it, else in full.</summary>
internal static class DisplayPath
{
    /// <summary>
    /// <paramref name="path"/> relative to the working directory (e.g. <c>out/report/report.html</c>) when it lies
    /// below it, else its full path; folders end with the separator.
    /// </summary>
    public static string Of(string path, bool folder = false)
    {
        var full = Path.GetFullPath(path);
        var cwd = Path.GetFullPath(Directory.GetCurrentDirectory());
        var relative = Path.GetRelativePath(cwd, full);
        var shown = relative == "." ? "." : relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        return folder && !shown.EndsWith(Path.DirectorySeparatorChar) ? shown + Path.DirectorySeparatorChar : shown;
    }
}
