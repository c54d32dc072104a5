using MlNetIso.Onnx.Attention;
using Spectre.Console;

namespace MlNetIso.Cli;

/// <summary>
/// The <c>mlnetiso</c> command-line tool: one verb per component of the library. Exit codes: 0 success,
/// 2 a mistake in the command line, 3 an input file that cannot be used, 1 anything unexpected.
/// </summary>
internal static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code for an unexpected failure.</summary>
    public const int Failure = 1;
    /// <summary>Exit code for a command-line mistake.</summary>
    public const int UsageError = 2;
    /// <summary>Exit code for an unusable input file.</summary>
    public const int InputError = 3;

    internal const string Usage = """
        mlnetiso — embedding geometry for ML.NET

        Usage: mlnetiso <verb> [options]

        Verbs:
          report     geometry report (all isotropy measures, spectrum and rogue-dimension plots, Markdown/HTML/JSON)
                       --vectors FILE        word2vec/GloVe text or numeric CSV vectors (instead of texts)
                       --input FILE          texts: .txt (one per line), .csv or .tsv   (default: bundled sample)
                       --column NAME         text column of a CSV/TSV
                       --model FILE          ONNX encoder (default: bundled models/mlnetiso-mini/model.onnx)
                       --temperature T       TempScale τ for the encoder (default 1)
                       --limit N             use at most N rows (default: all)
                       --sample N            sample size for TwoNN / partition / matrix entropy (default 5000)
                       --out DIR             output folder (default: out/report)
          collapse   length-collapse table and plot: mean pairwise cosine per token-length bucket, for several τ
                       --input FILE --column NAME --model FILE --temperatures 1,0.8,0.6 --bucket 100 --limit N --out DIR
          tempscale  rewrite an ONNX encoder's attention softmaxes with temperature τ and write the model
                       --model FILE --temperature T --output FILE
          embed      write embeddings of a text column to a file, streaming
                       --input FILE --column NAME --model FILE --temperature T --format csv|bin --output FILE
                       --execution-provider cpu|cuda|auto   ONNX Runtime provider (default cpu; auto falls back to CPU;
                                             cuda needs the GPU build: dotnet build src/Cli -p:OnnxRuntimeFlavor=Gpu)
          train      I-STAR classifier on a labelled file (head-only on the encoder's embeddings)
                       --input FILE --column NAME --label NAME --lambda L --zeta Z --epochs N --output FILE
                       --positive LABEL      binary classifier: LABEL vs the rest (default: multiclass)
                       --threads N           TorchSharp threads for training (default: the library's measured default, 1)

        Run 'mlnetiso <verb> --help' for details of one verb.
        """;

    /// <summary>Runs the tool with <paramref name="args"/>, writing to <paramref name="console"/>; returns the exit code.</summary>
    public static int Run(string[] args, IAnsiConsole console)
    {
        try
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                console.WriteLine(Usage);
                return args.Length == 0 ? UsageError : Ok;
            }
            var parsed = CliArguments.Parse(args);
            if (parsed.Flag("help"))
            {
                console.WriteLine(Usage);
                return Ok;
            }
            return parsed.Verb switch
            {
                "report" => Verbs.ReportVerb.Run(parsed, console),
                "collapse" => Verbs.CollapseVerb.Run(parsed, console),
                "tempscale" => Verbs.TempScaleVerb.Run(parsed, console),
                "embed" => Verbs.EmbedVerb.Run(parsed, console),
                "train" => Verbs.TrainVerb.Run(parsed, console),
                _ => throw new CliUsageException($"Unknown verb '{parsed.Verb}'. Verbs: report, collapse, tempscale, embed, train."),
            };
        }
        catch (CliUsageException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            console.MarkupLine("Run [bold]mlnetiso --help[/] for usage.");
            return UsageError;
        }
        catch (CliInputException e)
        {
            console.MarkupLine($"[red]input error:[/] {Markup.Escape(e.Message)}");
            return InputError;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return e is FileNotFoundException or InvalidDataException ? InputError : Failure;
        }
    }
}
