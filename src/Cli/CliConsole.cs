using Spectre.Console;

namespace MlNetIso.Cli;

/// <summary>
/// Where the tool writes: results and progress to <see cref="Out"/> (through <see cref="Ansi"/> for tables and
/// colour), errors to <see cref="Error"/> as one line each. <see cref="Interactive"/> says whether <see cref="Out"/>
/// is a terminal, which decides between a live progress bar and plain progress lines.
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, IAnsiConsole ansi, bool interactive)
    {
        Out = output;
        Error = error;
        Ansi = ansi;
        Interactive = interactive;
    }

    /// <summary>Line width when output is redirected: wide enough that messages are not wrapped; tables take what they need.</summary>
    public const int RedirectedWidth = 240;

    /// <summary>Plain text output (help, progress lines).</summary>
    public TextWriter Out { get; }

    /// <summary>Error output: one line per error.</summary>
    public TextWriter Error { get; }

    /// <summary>Rich output (tables, markup) over <see cref="Out"/>.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>True when <see cref="Out"/> is a terminal (live progress bars); false when redirected (progress lines).</summary>
    public bool Interactive { get; }

    /// <summary>The process's standard output and error.</summary>
    public static CliConsole Standard()
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var interactive = !Console.IsOutputRedirected && ansi.Profile.Capabilities.Interactive;
        if (Console.IsOutputRedirected) ansi.Profile.Width = RedirectedWidth; // logs and pipes: one message, one line
        return new CliConsole(Console.Out, Console.Error, ansi, interactive);
    }

    /// <summary>A console writing plain text (no colour, no live display) to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static CliConsole Plain(TextWriter output, TextWriter error, int width = 160)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        ansi.Profile.Width = width;
        return new CliConsole(output, error, ansi, interactive: false);
    }
}
