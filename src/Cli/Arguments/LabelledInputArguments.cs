using System.CommandLine;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.Verbs;

namespace MlNetIso.Cli.Arguments;

/// <summary>
/// The options that choose a labelled training file — <c>--input</c>, <c>--column</c>, <c>--limit</c>, <c>--label</c>
/// and <c>--positive</c> — for the verbs that train I-STAR (<c>train</c>, <c>sweep</c>): the bundled sentence-polarity
/// sample without <c>--input</c>, the rows shuffled with the verb's seed before the limit applies, and one set of usage
/// rules (a file needs <c>--label</c>; <c>--column</c>/<c>--label</c> need a file; <c>--positive</c> must be a label).
/// </summary>
internal sealed class LabelledInputArguments
{
    private const string Bundled = "the bundled Rotten Tomatoes snippets, 5,331 positive and 5,331 negative (labels pos/neg)";

    /// <param name="defaultLimit">The --limit default.</param>
    /// <param name="limitCost">What grows with the rows, for help (e.g. "training time grows with it").</param>
    /// <param name="positiveDescription">What --positive does in this verb.</param>
    public LabelledInputArguments(int defaultLimit, string limitCost, string positiveDescription)
    {
        Text = new TextInputArguments(TextSource.SampleSentences, Bundled, defaultLimit,
            $"The rows are shuffled (--seed) first, so the limit takes a random subset; {limitCost}.");
        Label = CliOption.Optional<string>("--label", "The label column of a .csv/.tsv --input (required with --input).", "pos/neg of the bundled sample");
        Label.HelpName = "name";
        Positive = CliOption.Optional<string>("--positive", positiveDescription, "none (multiclass)");
        Positive.HelpName = "label";
    }

    /// <summary>--input, --column and --limit.</summary>
    public TextInputArguments Text { get; }

    /// <summary>--label: the class column of a file input.</summary>
    public Option<string?> Label { get; }

    /// <summary>--positive: train or sweep a binary classifier of this label against the rest.</summary>
    public Option<string?> Positive { get; }

    /// <summary>Every option, in help order.</summary>
    public IEnumerable<Option> All => [.. Text.All, Label, Positive];

    /// <summary>Fails with a usage error when --label, --column and --input do not fit together (before any work).</summary>
    public void CheckUsage(ParseResult parse)
    {
        var inputGiven = parse.GetValue(Text.Input) is not null;
        var labelColumn = parse.GetValue(Label);
        if (inputGiven && labelColumn is null)
            throw new CliUsageException("--label NAME is required with --input (the column holding each row's class).");
        if (!inputGiven && (labelColumn is not null || parse.GetValue(Text.Column) is not null))
            throw new CliUsageException("--column and --label need --input (a .csv or .tsv file with a header row).");
    }

    /// <summary>The shuffled, limited rows; fails when --positive names no label of them.</summary>
    public List<LabelledRow> Load(ParseResult parse, int seed, VerbContext context)
    {
        var rows = LabelledRows.Load(Text, parse, parse.GetValue(Label), seed, context);
        LabelledRows.CheckPositive(rows, parse.GetValue(Positive));
        return rows;
    }
}
