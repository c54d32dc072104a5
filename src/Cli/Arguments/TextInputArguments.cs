using System.CommandLine;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.Verbs;

namespace MlNetIso.Cli.Arguments;

/// <summary>
/// The options that choose the texts a verb reads — <c>--input</c>, <c>--column</c>, <c>--limit</c> (and
/// <c>--id-column</c> where a verb writes ids) — with one rule for every verb: an input without rows is an error
/// (exit code 2), and a limit that drops rows is always said.
/// </summary>
internal sealed class TextInputArguments
{
    private readonly TextSource _defaultSource;

    /// <param name="defaultSource">The bundled texts used without --input.</param>
    /// <param name="defaultDescription">How help describes them.</param>
    /// <param name="defaultLimit">The --limit default (0 = all rows).</param>
    /// <param name="limitReason">Why the default limit exists, for help.</param>
    /// <param name="withIdColumn">Whether the verb offers --id-column.</param>
    public TextInputArguments(TextSource defaultSource, string defaultDescription, int defaultLimit, string? limitReason = null, bool withIdColumn = false)
    {
        _defaultSource = defaultSource;
        DefaultLimit = defaultLimit;
        Input = CliOption.Optional<string>("--input",
            "Texts: a .csv or .tsv file with a header row (choose the column with --column), or any other file with one text per line.",
            defaultDescription);
        Input.HelpName = "file";
        Column = CliOption.Optional<string>("--column", "The text column of a .csv/.tsv input.",
            "the first column named Text or Sentence, else the last column");
        Column.HelpName = "name";
        Limit = CliOption.Create("--limit", "Use at most this many rows of the input (0 = all). " + (limitReason ?? "The first rows are used."),
            defaultLimit).InRange(0, int.MaxValue);
        Limit.HelpName = "rows";
        if (withIdColumn)
        {
            IdColumn = CliOption.Optional<string>("--id-column",
                "A .csv/.tsv column copied into the output's first column ('id') to keep rows identifiable.", "none (no id column)");
            IdColumn.HelpName = "name";
        }
    }

    public Option<string?> Input { get; }
    public Option<string?> Column { get; }
    public Option<int> Limit { get; }
    public Option<string?>? IdColumn { get; }
    public int DefaultLimit { get; }

    /// <summary>The options, in help order.</summary>
    public IEnumerable<Option> All => IdColumn is null ? [Input, Column, Limit] : [Input, Column, IdColumn, Limit];

    /// <summary>The input's source: the file given, or the bundled default.</summary>
    public TextSource Source(ParseResult parse) => parse.GetValue(Input) is { } path ? TextSource.FromFile(path) : _defaultSource;

    /// <summary>Opens the input table (with a label column when asked).</summary>
    public TextTable Open(ParseResult parse, string? labelColumn = null) =>
        TextTable.Open(Source(parse), parse.GetValue(Column), labelColumn, IdColumn is null ? null : parse.GetValue(IdColumn));

    /// <summary>
    /// Counts the rows of <paramref name="table"/>, applies <c>--limit</c> and says so when it drops rows; returns the
    /// number of rows to use. An input without rows is a <see cref="CliInputException"/> (exit code 2), the same for every verb.
    /// </summary>
    public long CountRows(ParseResult parse, TextTable table, VerbContext context, string unit = "texts")
    {
        var available = table.Count();
        if (available == 0) throw Empty(table.Source.DisplayName, unit);
        return ApplyLimit(parse, available, context, unit);
    }

    /// <summary>Applies <c>--limit</c> to <paramref name="available"/> rows and says so when it drops some.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="available">Rows in the input.</param>
    /// <param name="context">Where to say it.</param>
    /// <param name="unit">What the rows are, for the message ("texts", "rows of 'x.tsv'").</param>
    /// <param name="which">Which rows the limit keeps, for the message ("the first", "a random").</param>
    public long ApplyLimit(ParseResult parse, long available, VerbContext context, string unit, string which = "the first")
    {
        var limit = parse.GetValue(Limit);
        if (limit <= 0 || limit >= available) return available;
        if (parse.GetResult(Limit) is { Implicit: false })
            context.Say($"Using {which} {limit:N0} of {available:N0} {unit} (--limit {limit}).");
        else
            context.Note($"using {which} {limit:N0} of {available:N0} {unit}: the default --limit is {limit:N0}; --limit 0 uses all of them.");
        return limit;
    }

    /// <summary>The one error every verb gives for an input without rows.</summary>
    public static CliInputException Empty(string source, string unit = "texts") =>
        new($"Input '{source}' holds no {unit}; nothing to do.");
}
