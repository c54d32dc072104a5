using System.Globalization;

namespace MlNetIso.Benchmarks;

/// <summary>Flags (<c>--quick</c>) and valued options (<c>--model dir</c>) of a benchmark verb.</summary>
internal sealed class BenchmarkArguments(string[] args)
{
    /// <summary>Whether the flag is present.</summary>
    public bool Has(string flag) => args.Contains(flag, StringComparer.Ordinal);

    /// <summary>The value after <paramref name="option"/> (or of <c>option=value</c>), or null when absent; throws when the value is missing.</summary>
    public string? Value(string option)
    {
        // --option=value is accepted too (it used to be ignored silently, leaving the default in force).
        var joined = args.LastOrDefault(a => a.StartsWith(option + "=", StringComparison.Ordinal));
        if (joined is not null) return joined[(option.Length + 1)..];
        var i = Array.IndexOf(args, option);
        if (i < 0) return null;
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"Option {option} needs a value.");
        return args[i + 1];
    }

    /// <summary>The integer value after <paramref name="option"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string option, int fallback)
    {
        var text = Value(option);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw new ArgumentException($"Option {option} needs a positive integer, not '{text}'.");
        return value;
    }
}

/// <summary>Repository and shared-data locations, found by walking up from the working directory and the binary.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding <c>MlNetIso.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The shared datasets folder (<c>--data</c>, else the environment variable <c>MLNETISO_DATA</c> as in the tests, else
    /// <c>../shared/data</c> beside the repository; docs/datasets.md), or null.
    /// </summary>
    public static string? SharedData(BenchmarkArguments args)
    {
        var given = args.Value("--data");
        if (given is not null) return given;
        var environment = Environment.GetEnvironmentVariable("MLNETISO_DATA");
        if (!string.IsNullOrEmpty(environment) && Directory.Exists(environment)) return environment;
        var candidate = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    /// <summary><see cref="SharedData"/>, or a clear error when the datasets are not there.</summary>
    public static string RequireSharedData(BenchmarkArguments args) =>
        SharedData(args) ?? throw new DirectoryNotFoundException("Shared datasets not found beside the repository (../shared/data) or in MLNETISO_DATA; pass --data <dir>.");

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MlNetIso.sln")))
                    return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
