using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.IO;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>embed</c>: streams a text column through the TempScale embedding transform and writes one embedding per row, as
/// CSV with a header (optionally an id column first) or as a NumPy .npy matrix. Rows go to <c>OUTPUT.partial</c>,
/// which is renamed to the output when every row is written; Ctrl+C stops after the current row and keeps the partial
/// file, and <c>--resume</c> continues it.
/// </summary>
internal sealed class EmbedVerb : Verb
{
    private readonly TextInputArguments _input = new(TextSource.SampleSentences,
        "the bundled sample: 5,331 positive Rotten Tomatoes snippets", 0, withIdColumn: true);
    private readonly EncoderArguments _encoder = new();
    private readonly Option<string?> _format = CliOption.Optional<string>("--format",
        "csv: a header row ([id,]e0,…,e{d−1}) and one row per text. npy: a rows × d float32 NumPy array (numpy.load reads it).",
        "from --output's extension (.npy → npy), else csv");
    private readonly Option<string?> _output = CliOption.Optional<string>("--output",
        "The file to write. It appears only when complete; until then rows go to OUTPUT.partial.", "out/embeddings.csv (out/embeddings.npy with --format npy)");
    private readonly Option<bool> _resume = CliOption.Switch("--resume",
        "Continue the OUTPUT.partial file an interrupted run left (same input and encoder settings), instead of refusing to replace it.");

    public EmbedVerb()
    {
        _format.AcceptOnlyFromAmong("csv", "npy");
        _output.HelpName = "file";
    }

    public override string Name => "embed";
    public override string Summary => "Write the embeddings of a text column to a CSV or .npy file, streaming, with a progress bar.";
    public override string? Details => "Ctrl+C stops after the current row and keeps what was written; --resume continues it.";
    public override int Order => 40;
    public override IEnumerable<Option> Options => [.. _input.All, .. _encoder.All, _format, _output, _resume];

    private sealed class InputRow
    {
        public string Text { get; set; } = "";
        public string Id { get; set; } = "";
    }

    public override int Run(ParseResult parse, VerbContext context)
    {
        var given = parse.GetValue(_output);
        var format = parse.GetValue(_format) switch
        {
            "npy" => EmbeddingFormat.Npy,
            "csv" => EmbeddingFormat.Csv,
            _ => given is not null && Path.GetExtension(given).Equals(".npy", StringComparison.OrdinalIgnoreCase) ? EmbeddingFormat.Npy : EmbeddingFormat.Csv,
        };
        var output = given ?? Path.Combine("out", format == EmbeddingFormat.Npy ? "embeddings.npy" : "embeddings.csv");
        var idColumn = parse.GetValue(_input.IdColumn!);
        if (idColumn is not null && format == EmbeddingFormat.Npy)
            throw new CliUsageException("--id-column needs --format csv (a .npy file holds numbers only).");
        OutputPaths.EnsureWritableFile(output, "--output");

        var table = _input.Open(parse);
        var total = _input.CountRows(parse, table, context);
        var model = _encoder.Models(parse)[0];
        var temperature = _encoder.Temperatures(parse)[0];
        var options = _encoder.For(parse, model, temperature, context);
        var partial = new PartialOutput(output);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["input"] = parse.GetValue(_input.Input) is { } path ? Path.GetFullPath(path) : table.Source.DisplayName,
            ["column"] = parse.GetValue(_input.Column) ?? "",
            ["id-column"] = idColumn ?? "",
            ["model"] = File.Exists(model) || Directory.Exists(model) ? Path.GetFullPath(model) : model,
            ["temperature"] = CliOption.Format(temperature),
            ["max-tokens"] = parse.GetValue(_encoder.MaxTokens)?.ToString(CultureInfo.InvariantCulture) ?? "model",
            ["long-text"] = parse.GetValue(_encoder.LongText)!,
            ["format"] = format.ToString().ToLowerInvariant(),
        };
        if (partial.Exists && !parse.GetValue(_resume))
            throw new CliUsageException(
                $"'{DisplayPath.Of(partial.PartialPath)}' holds the rows of an interrupted run: add --resume to continue it, or delete it to start over.");

        var ml = context.NewMLContext(0);
        var skip = 0L;
        IDataView Texts() => ml.Data.LoadFromEnumerable(table.Rows().Skip((int)Math.Min(skip, int.MaxValue)).Take((int)Math.Min(total - skip, int.MaxValue))
            .Select(r => new InputRow { Text = r.Text, Id = r.Id ?? "" }));
        var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding(VectorColumn, nameof(InputRow.Text), options).Fit(Texts());
        var dimension = transformer.Dimension;

        EmbeddingWriter writer;
        if (partial.Exists)
        {
            var stream = partial.Continue(settings);
            try
            {
                writer = EmbeddingWriter.Resume(format, stream, dimension, idColumn is not null, DisplayPath.Of(partial.PartialPath));
            }
            catch
            {
                stream.Dispose();
                throw;
            }
            skip = writer.Rows;
            if (skip > total)
            {
                writer.Dispose();
                throw new CliUsageException(
                    $"--resume: '{DisplayPath.Of(partial.PartialPath)}' already holds {skip:N0} rows but the input gives {total:N0} (a smaller --limit?).");
            }
            context.Say($"Resuming: {skip:N0} of {total:N0} rows are already in {Markup.Escape(DisplayPath.Of(partial.PartialPath))}.");
        }
        else
        {
            if (parse.GetValue(_resume)) context.Note($"nothing to resume ('{DisplayPath.Of(partial.PartialPath)}' does not exist); starting from the first row.");
            writer = EmbeddingWriter.Create(format, partial.Create(settings), dimension, idColumn is not null);
        }

        var interrupted = false;
        try
        {
            using var embedded = transformer;
            var data = embedded.Transform(Texts());
            interrupted = context.WithProgress($"embedding {EncoderArguments.Describe(model, temperature)}", total - skip, progress =>
            {
                var features = data.Schema[VectorColumn];
                var idCol = data.Schema[nameof(InputRow.Id)];
                using var cursor = data.GetRowCursor([features, idCol]);
                var getVector = cursor.GetGetter<VBuffer<float>>(features);
                var getId = cursor.GetGetter<ReadOnlyMemory<char>>(idCol);
                var vector = default(VBuffer<float>);
                var id = default(ReadOnlyMemory<char>);
                var dense = new float[dimension];
                while (cursor.MoveNext())
                {
                    getVector(ref vector);
                    vector.CopyTo(dense);
                    if (idColumn is not null) getId(ref id);
                    writer.Write(idColumn is null ? null : id.ToString(), dense);
                    progress.Advance();
                    if (context.Interrupt.IsCancellationRequested) return true;
                }
                return false;
            });
        }
        catch
        {
            var kept = writer.Rows;
            writer.Flush();
            writer.Dispose();
            context.Note($"the {kept:N0} complete rows written so far are kept in '{DisplayPath.Of(partial.PartialPath)}'; --resume continues after them.");
            throw;
        }

        if (interrupted)
        {
            writer.Flush();
            var kept = writer.Rows;
            writer.Dispose();
            context.Console.Error.WriteLine(
                $"interrupted: {kept:N0} of {total:N0} rows are written to '{DisplayPath.Of(partial.PartialPath)}'; " +
                "run the same command with --resume to continue.");
            return ExitCodes.Interrupted;
        }
        var rows = writer.Rows;
        partial.Complete(writer);
        context.Say($"Embedded [bold]{rows:N0}[/] texts of {Markup.Escape(table.Source.DisplayName)} with {Markup.Escape(EncoderArguments.Describe(model, temperature))} (d = {dimension}).");
        context.Wrote(partial.Target, format == EmbeddingFormat.Npy
            ? $"{rows:N0} × {dimension} float32 .npy"
            : $"{rows:N0} rows × {dimension} columns{(idColumn is null ? "" : " and an id column")}, CSV with a header");
        return ExitCodes.Ok;
    }

    private const string VectorColumn = "Features";
}
