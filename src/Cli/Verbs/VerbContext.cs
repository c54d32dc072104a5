using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Runtime;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Rendering;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>What a running verb needs besides its options: where to write, the interruption signal, and --verbose.</summary>
internal sealed class VerbContext(CliConsole console, CancellationToken interrupt, bool verbose)
{
    /// <summary>Output and error writers.</summary>
    public CliConsole Console { get; } = console;

    /// <summary>Cancelled by Ctrl+C / SIGTERM; long loops check it at row boundaries.</summary>
    public CancellationToken Interrupt { get; } = interrupt;

    /// <summary>Whether --verbose was given (stack traces on errors, ONNX Runtime warnings).</summary>
    public bool Verbose { get; } = verbose;

    /// <summary>ONNX Runtime's log level: errors only, or warnings too with --verbose.</summary>
    public OrtLoggingLevel OnnxRuntimeLogLevel => Verbose ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING : OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;

    /// <summary>
    /// An ML.NET context whose warnings reach the user as notes, each once (e.g. <c>--execution-provider auto</c> falling
    /// back to the CPU); with --verbose its information messages too (the I-STAR fit log).
    /// </summary>
    public MLContext NewMLContext(int? seed = 0)
    {
        var ml = new MLContext(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ml.Log += (_, e) =>
        {
            if (e.Kind != ChannelMessageKind.Warning && !(Verbose && e.Kind == ChannelMessageKind.Info)) return;
            lock (seen)
                if (!seen.Add(e.RawMessage)) return;
            Console.Ansi.MarkupLine($"[yellow]{(e.Kind == ChannelMessageKind.Warning ? "warning" : "info")}:[/] {Markup.Escape(e.RawMessage)}");
        };
        return ml;
    }

    /// <summary>Prints a line of Spectre markup.</summary>
    public void Say(string markup) => Console.Ansi.MarkupLine(markup);

    /// <summary>Prints a note the user should not miss (a default limit that applies, a setting chosen for them).</summary>
    public void Note(string text) => Console.Ansi.MarkupLine($"[yellow]note:[/] {Markup.Escape(text)}");

    /// <summary>Says where a file or folder was written, as a path relative to the working directory.</summary>
    public void Wrote(string path, string what, bool folder = false) =>
        Console.Ansi.MarkupLine($"wrote [green]{Markup.Escape(DisplayPath.Of(path, folder))}[/] ({Markup.Escape(what)})");

    /// <summary>Runs <paramref name="work"/> with a progress display over <paramref name="total"/> units.</summary>
    public T WithProgress<T>(string description, long total, Func<ProgressDisplay, T> work) =>
        ProgressDisplay.Run(Console, description, total, work);

    /// <summary>Throws <see cref="OperationCanceledException"/> when an interruption was requested.</summary>
    public void ThrowIfInterrupted() => Interrupt.ThrowIfCancellationRequested();
}
