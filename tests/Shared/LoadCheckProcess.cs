using System.Diagnostics;

namespace MlNetIso.Tests;

/// <summary>
/// Runs tests/MlNetIso.LoadCheck (built next to the tests, same configuration) as a fresh process:
/// <c>dotnet MlNetIso.LoadCheck.dll --model … --input … --output … [--bind-trainer …]</c>.
/// </summary>
internal static class LoadCheckProcess
{
    /// <summary>Path of the LoadCheck assembly for the configuration these tests were built in.</summary>
    public static string AssemblyPath
    {
        get
        {
            // Tests run from tests/<test project>/bin/<Configuration>/<tfm>/.
            var tfmDir = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
            string configuration = tfmDir.Parent!.Name;
            return Path.Combine(TestPaths.RepoRoot, "tests", "MlNetIso.LoadCheck", "bin", configuration, tfmDir.Name, "MlNetIso.LoadCheck.dll");
        }
    }

    /// <summary>Runs the check and returns its exit code and outputs (kills it after the timeout).</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(TimeSpan timeout, params string[] arguments)
    {
        Assert.True(File.Exists(AssemblyPath), $"LoadCheck was not built at {AssemblyPath}.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"LoadCheck did not finish within {timeout}.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
