using Spectre.Console;

namespace MlNetIso.Cli.Tests;

/// <summary>Runs the CLI in-process with a recording console; the bundled model path (repository paths come from the shared TestPaths).</summary>
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

    public static string RepoRoot => TestPaths.RepoRoot;

    public static string DemoModel => Path.Combine(RepoRoot, "models", "mlnetiso-mini", "model.onnx");

    public static string NewTempDir() => TestPaths.NewTempDir();
}
