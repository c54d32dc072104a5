using System.CommandLine;
using System.CommandLine.Help;
using Microsoft.ML.OnnxRuntime;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Verbs;

namespace MlNetIso.Cli;

/// <summary>
/// The <c>mlnetiso</c> command-line tool: one verb per component of the library, parsed by System.CommandLine.
/// Errors are one line on standard error (the stack trace only with <c>--verbose</c>) and map to the exit codes of
/// <see cref="ExitCodes"/>.
/// </summary>
internal static class CliApp
{
    /// <summary>The tool's description at the top of <c>mlnetiso --help</c>.</summary>
    public const string Description = """
        mlnetiso — the geometry of language-model embeddings (IsoScore, TempScale, I-STAR) from the command line.
        Outputs chain: tempscale writes a model folder that embed and report take as --model; embed writes CSV or .npy
        files that report takes as --vectors. Run 'mlnetiso VERB --help' for a verb's options and their defaults.
        """;

    /// <summary>Runs the tool with <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, CliConsole console, CancellationToken interrupt = default)
    {
        var verbose = CliOption.Switch("--verbose", "Show stack traces with errors and ONNX Runtime's warnings.");
        verbose.Recursive = true;
        var root = new RootCommand(Description + Environment.NewLine + ExitCodes.Summary);
        root.Options.Add(verbose);
        foreach (var verb in VerbCatalog.Create())
            root.Subcommands.Add(verb.CreateCommand(parse => new VerbContext(console, interrupt, parse.GetValue(verbose))));

        var parse = root.Parse(args);
        var isVerbose = args.Contains("--verbose", StringComparer.Ordinal);
        if (parse.Action is not HelpAction && parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            if (command is RootCommand && !parse.UnmatchedTokens.Any())
            {
                root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error });
                console.Error.WriteLine($"error: no verb given; choose one of {string.Join(", ", root.Subcommands.Select(c => c.Name))}.");
                return ExitCodes.Usage;
            }
            if (command is RootCommand)
            {
                console.Error.WriteLine(
                    $"error: unknown verb '{parse.UnmatchedTokens[0]}'; the verbs are {string.Join(", ", root.Subcommands.Select(c => c.Name))} (see 'mlnetiso --help').");
                return ExitCodes.Usage;
            }
            var more = parse.Errors.Count > 1 ? $" (and {parse.Errors.Count - 1} more)" : "";
            console.Error.WriteLine($"error: {OneLine(parse.Errors[0].Message)}{more} {HelpHint(command)}");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // InterruptSignal handles Ctrl+C so verbs can stop at a row boundary
            });
        }
        catch (Exception e)
        {
            return Fail(e, console, interrupt, isVerbose, parse.CommandResult.Command);
        }
    }

    /// <summary>The exit code for <paramref name="e"/> and the exception whose message explains it best.</summary>
    internal static (int Code, Exception Shown) Classify(Exception e, CancellationToken interrupt)
    {
        if (interrupt.IsCancellationRequested && Chain(e).Any(x => x is OperationCanceledException)) return (ExitCodes.Interrupted, e);
        // ML.NET and TPL wrap exceptions thrown inside cursors; the innermost one of ours says what is wrong.
        foreach (var x in Chain(e))
        {
            switch (x)
            {
                case CliUsageException: return (ExitCodes.Usage, x);
                case CliInputException: return (ExitCodes.InputData, x);
                case EndOfStreamException: return (ExitCodes.InputData, x);
                case IOException or UnauthorizedAccessException: return (ExitCodes.FileSystem, x);
            }
        }
        return e switch
        {
            ArgumentException => (ExitCodes.Usage, e),
            InvalidDataException or FormatException or OnnxRuntimeException or NotSupportedException or InvalidOperationException
                => (ExitCodes.InputData, e),
            _ => (ExitCodes.Internal, e),
        };
    }

    private static int Fail(Exception e, CliConsole console, CancellationToken interrupt, bool verbose, Command command)
    {
        var (code, shown) = Classify(e, interrupt);
        var message = code switch
        {
            ExitCodes.Interrupted => "interrupted; no output was written.",
            ExitCodes.Usage => $"{OneLine(shown.Message)} {HelpHint(command)}",
            ExitCodes.Internal => $"unexpected {shown.GetType().Name}: {OneLine(shown.Message)} (a bug in mlnetiso{(verbose ? "" : "; --verbose shows the stack trace")})",
            _ => OneLine(shown.Message),
        };
        console.Error.WriteLine($"{(code == ExitCodes.Interrupted ? "" : "error: ")}{message}");
        if (verbose) console.Error.WriteLine(e);
        return code;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : x.InnerException)
            yield return x;
    }

    private static string HelpHint(Command command) =>
        command is RootCommand ? "(see 'mlnetiso --help')" : $"(see 'mlnetiso {command.Name} --help')";

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
