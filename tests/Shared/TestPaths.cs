namespace MlNetIso.Tests;

/// <summary>Locates the repository root and the shared datasets (<c>../shared/data</c> beside the checkout; docs/datasets.md).</summary>
internal static class TestPaths
{
    /// <summary>The folder holding <c>MlNetIso.sln</c>.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// The shared data folder: <c>MLNETISO_DATA</c> if set, else <c>../shared/data</c> beside the repository root.
    /// Null when absent (tests that need it are marked <see cref="SharedDataFactAttribute"/> and show as skipped).
    /// </summary>
    public static string? SharedData
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("MLNETISO_DATA");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            var dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>Path of a shared dataset file, or null when the shared data is not present.</summary>
    public static string? SharedFile(params string[] parts)
    {
        if (SharedData is null) return null;
        var p = Path.Combine([SharedData, .. parts]);
        return File.Exists(p) ? p : null;
    }

    /// <summary>
    /// Path of a shared dataset file given '/'-separated, for tests marked <see cref="SharedDataFactAttribute"/> (which
    /// skip when it is absent); throws when it is missing anyway.
    /// </summary>
    public static string RequireSharedFile(string relativePath) =>
        SharedFile(relativePath.Split('/'))
        ?? throw new InvalidOperationException($"Shared dataset file {relativePath} not found; mark the test [SharedDataFact(\"{relativePath}\")].");

    /// <summary>A fresh empty temporary folder.</summary>
    public static string NewTempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "mlnetiso-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlNetIso.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MlNetIso.sln not found above the test binaries.");
    }
}
