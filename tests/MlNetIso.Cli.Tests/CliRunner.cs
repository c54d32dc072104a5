using System.Diagnostics;

namespace MlNetIso.Cli.Tests;

/// <summary>
/// Runs the CLI in-process with plain text writers for standard output and error, or as a child process (the built
/// mlnetiso.dll under dotnet) for what only a process shows: signals, start-up, the installed tool.
/// </summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>Standard output and error together, for assertion messages.</summary>
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static Result Run(params string[] args) => Run(CancellationToken.None, args);

    public static Result Run(CancellationToken interrupt, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, CliConsole.Plain(output, error, 200), interrupt);
        return new Result(code, output.ToString(), error.ToString());
    }

    public static string RepoRoot => TestPaths.RepoRoot;

    public static string DemoModel => Path.Combine(RepoRoot, "models", "mlnetiso-mini", "model.onnx");

    public static string NewTempDir() => TestPaths.NewTempDir();

    /// <summary>The built CLI (src/Cli/bin/CONFIGURATION/net10.0/mlnetiso.dll), the configuration being the test's own.</summary>
    public static string CliDll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // …/bin/Release/net10.0
            var dll = Path.Combine(RepoRoot, "src", "Cli", "bin", configuration, "net10.0", "mlnetiso.dll");
            Assert.True(File.Exists(dll), $"The CLI is not built at {dll}.");
            return dll;
        }
    }

    /// <summary>Starts <c>dotnet mlnetiso.dll ARGS</c> in <paramref name="workingDirectory"/> with redirected output.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    /// <summary>Writes <paramref name="count"/> short texts, one per line.</summary>
    public static string Texts(string dir, int count, Func<int, string>? text = null, string name = "texts.txt")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(text ?? (i => $"review number {i} says the film was {(i % 3 == 0 ? "good" : i % 3 == 1 ? "a boring mess" : "fine")}")));
        return path;
    }
}
