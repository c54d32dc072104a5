using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.Rendering;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>embed</c>: streams a text column through the TempScale embedding transform and writes one embedding per row,
/// as CSV (one row of numbers per text) or binary (little-endian: int32 rows, int32 dimension, then float32 values;
/// the row count is written last into the header once known).
/// </summary>
internal static class EmbedVerb
{
    public static int Run(CliArguments args, IAnsiConsole console)
    {
        var input = args.String("input") ?? DefaultPaths.SampleTexts;
        var column = args.String("column");
        var format = args.String("format", "csv")!;
        if (format is not ("csv" or "bin"))
            throw new CliUsageException($"--format must be csv or bin, got '{format}'.");
        var output = args.String("output") ?? Path.Combine("out", $"embeddings.{format}");
        var limitArg = args.Int("limit", 0, 0);
        var options = VectorSource.EncoderOptions(args);
        args.RejectUnknown();

        var table = TextTable.Open(input, column);
        var total = CountRows(table, limitArg);
        var ml = new MLContext(0);
        // Warnings of the fit (e.g. ExecutionProvider = Auto falling back to CPU) reach the user once.
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) console.MarkupLine($"[yellow]{Markup.Escape(e.RawMessage)}[/]");
        };
        var data = VectorSource.EmbeddedTexts(ml, table, options, limitArg > 0 ? limitArg : null);
        var featureColumn = data.Schema[VectorSource.Column];
        var dimension = ((VectorDataViewType)featureColumn.Type).Size;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);

        long written = 0;
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("embedding", maxValue: Math.Max(total, 1));
                using var cursor = data.GetRowCursor([featureColumn]);
                var getter = cursor.GetGetter<VBuffer<float>>(featureColumn);
                var buffer = default(VBuffer<float>);
                using var sink = EmbeddingSink.Create(output, format, dimension);
                while (cursor.MoveNext())
                {
                    getter(ref buffer);
                    sink.Write(buffer.DenseValues());
                    written++;
                    if ((written & 63) == 0) task.Value = written;
                }
                task.Value = task.MaxValue;
                sink.Complete(written);
            });
        console.MarkupLine($"Wrote [bold]{written:N0}[/] embeddings of dimension [bold]{dimension}[/] to [green]{Markup.Escape(output)}[/].");
        return CliApp.Ok;
    }

    private static long CountRows(TextTable table, int limit)
    {
        long n = 0;
        foreach (var _ in table.Rows())
        {
            n++;
            if (limit > 0 && n >= limit) break;
        }
        return n;
    }
}
