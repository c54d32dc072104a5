using System.CommandLine;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Verbs;

namespace MlNetIso.Cli.Inputs;

/// <summary>
/// The labelled rows of the classifier verbs (<c>train</c>, <c>sweep</c>): a .csv/.tsv <c>--input</c> with its
/// <c>--label</c> column, or the bundled positive/negative sentences; shuffled with the seed, then cut to <c>--limit</c>
/// (which is said). An empty label or fewer than two classes is bad input (exit code 2) naming the file and row.
/// </summary>
internal static class LabelledRows
{
    /// <summary>Loads, shuffles and limits the rows.</summary>
    public static List<LabelledRow> Load(TextInputArguments input, ParseResult parse, string? labelColumn, int seed, VerbContext context)
    {
        List<LabelledRow> rows;
        string source;
        if (labelColumn is null)
        {
            rows = [.. Lines(TextSource.SampleSentences, "pos"), .. Lines(TextSource.SampleNegativeSentences, "neg")];
            source = "the bundled sentences";
        }
        else
        {
            var table = input.Open(parse, labelColumn);
            source = $"'{table.Source.DisplayName}'";
            rows = [];
            foreach (var r in table.Rows())
            {
                if (string.IsNullOrWhiteSpace(r.Label))
                    throw new CliInputException($"Row {r.Number} of '{table.Source.DisplayName}' has an empty label.");
                rows.Add(new LabelledRow { Text = r.Text, Label = r.Label! });
            }
            if (rows.Count == 0) throw TextInputArguments.Empty(table.Source.DisplayName, "rows");
        }
        var rng = new Random(seed);
        rows = rows.OrderBy(_ => rng.Next()).ToList();
        var used = input.ApplyLimit(parse, rows.Count, context, $"rows of {source}", $"a random (--seed {seed})");
        if (used < rows.Count) rows = rows.Take((int)used).ToList();
        if (rows.Select(r => r.Label).Distinct().Count() < 2)
            throw new CliInputException($"The training rows of {source} hold fewer than two distinct labels; a classifier needs at least two.");
        return rows;
    }

    /// <summary>Checks that <paramref name="positive"/> (the <c>--positive</c> label) is one of the rows' labels.</summary>
    public static void CheckPositive(IReadOnlyCollection<LabelledRow> rows, string? positive)
    {
        if (positive is not null && !rows.Any(r => r.Label == positive))
            throw new CliInputException($"--positive '{positive}' is not one of the labels ({string.Join(", ", rows.Select(r => r.Label).Distinct().Order().Take(10))}).");
    }

    /// <summary>Yields the rows, reporting how far they have been read (each cursor its own position), and stops when interrupted.</summary>
    public static IEnumerable<LabelledRow> Tracked(List<LabelledRow> rows, Rendering.ProgressDisplay progress, VerbContext context)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            context.ThrowIfInterrupted();
            yield return rows[i];
            progress.AtLeast(i + 1);
        }
    }

    private static IEnumerable<LabelledRow> Lines(TextSource source, string label) =>
        TextTable.Open(source).Rows().Where(r => r.Text.Length > 0).Select(r => new LabelledRow { Text = r.Text, Label = label });
}
