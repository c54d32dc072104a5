using Spectre.Console;

namespace MlNetIso.Cli.Tests;

/// <summary>Runs the CLI in-process with a recording console; paths to the bundled model and fresh temp folders.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        var code = CliApp.Run(args, console);
        return (code, writer.ToString());
    }

    public static string RepoRoot { get; } = FindRoot();

    public static string DemoModel => Path.Combine(RepoRoot, "models", "mlnetiso-mini", "model.onnx");

    public static string NewTempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "mlnetiso-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MlNetIso.sln"))) return dir.FullName;
        throw new InvalidOperationException("MlNetIso.sln not found above the test binaries.");
    }
}
