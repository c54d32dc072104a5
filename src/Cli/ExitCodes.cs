namespace MlNetIso.Cli;

/// <summary>
/// The exit codes of <c>mlnetiso</c>, the same for every verb (listed in <c>mlnetiso --help</c> and docs/cli.md).
/// </summary>
internal static class ExitCodes
{
    /// <summary>The verb did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command line is wrong: unknown verb or option, a value out of range, options that do not go together.</summary>
    public const int Usage = 1;

    /// <summary>An input's content cannot be used: empty, malformed, a model the verb cannot handle.</summary>
    public const int InputData = 2;

    /// <summary>A file-system error: a file missing or unreadable, an output that cannot be written (a directory, read-only, disk full).</summary>
    public const int FileSystem = 3;

    /// <summary>An unexpected failure: a bug in the tool (the message says so; <c>--verbose</c> shows the stack trace).</summary>
    public const int Internal = 70;

    /// <summary>Interrupted by Ctrl+C (SIGINT) or SIGTERM: the verb stopped cleanly and said what it kept.</summary>
    public const int Interrupted = 130;

    /// <summary>The table printed at the end of <c>mlnetiso --help</c>.</summary>
    public const string Summary = """
        Exit codes: 0 ok · 1 bad usage or option values · 2 unusable input data (empty, malformed) ·
                    3 file-system error (missing, unreadable or unwritable file) · 130 interrupted (Ctrl+C) · 70 a bug
        """;
}
