using System.Text;

namespace MlNetIso.Cli.Inputs;

/// <summary>
/// Streams one text column (and optionally a label and an id column) from a <see cref="TextSource"/>: a <c>.csv</c>
/// or <c>.tsv</c> file has a header row and RFC 4180 quoting (quoted fields may hold separators, doubled quotes and
/// line breaks); any other file has one text per line (an empty line is an empty text, so row i is line i). Rows are
/// read lazily, so a large file is never held in memory.
/// </summary>
internal sealed class TextTable
{
    private readonly char? _separator;
    private readonly int _textIndex;
    private readonly int _labelIndex;
    private readonly int _idIndex;

    private TextTable(TextSource source, char? separator, int textIndex, int labelIndex, int idIndex)
    {
        Source = source;
        _separator = separator;
        _textIndex = textIndex;
        _labelIndex = labelIndex;
        _idIndex = idIndex;
    }

    /// <summary>Where the rows come from.</summary>
    public TextSource Source { get; }

    /// <summary>
    /// Opens <paramref name="source"/>. For CSV/TSV, <paramref name="textColumn"/> (default: the first column named
    /// Text/Sentence, else the last column), <paramref name="labelColumn"/> and <paramref name="idColumn"/> are looked
    /// up in the header (case-insensitive).
    /// </summary>
    public static TextTable Open(TextSource source, string? textColumn = null, string? labelColumn = null, string? idColumn = null)
    {
        char? sep = source.Extension switch { ".csv" => ',', ".tsv" => '\t', _ => null };
        if (sep is null)
        {
            foreach (var (option, value) in new[] { ("--column", textColumn), ("--label", labelColumn), ("--id-column", idColumn) })
                if (value is not null)
                    throw new CliUsageException(
                        $"{option} needs a .csv or .tsv input with a header row; '{source.DisplayName}' is read as one text per line.");
            return new TextTable(source, null, 0, -1, -1);
        }
        List<string> header;
        using (var reader = new StreamReader(source.Open(), Encoding.UTF8))
            header = ReadRecord(reader, sep.Value, source.DisplayName)
                     ?? throw new CliInputException($"Input '{source.DisplayName}' is empty: a header row and at least one row of text are needed.");
        int Find(string option, string name) =>
            header.FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
                ? i
                : throw new CliInputException(
                    $"{option} '{name}' is not a column of '{source.DisplayName}' (its header has: {string.Join(", ", header.Select(h => h.Trim()))}).");
        var textIndex = textColumn is not null
            ? Find("--column", textColumn)
            : header.FindIndex(h => h.Trim().ToLowerInvariant() is "text" or "sentence" or "sentencetext") is var t and >= 0 ? t : header.Count - 1;
        var labelIndex = labelColumn is not null ? Find("--label", labelColumn) : -1;
        var idIndex = idColumn is not null ? Find("--id-column", idColumn) : -1;
        return new TextTable(source, sep, textIndex, labelIndex, idIndex);
    }

    /// <summary>
    /// The rows: the 1-based row number as the user counts it (the line for one-text-per-line files, the record after
    /// the header for CSV/TSV, header = row 1), the text, and the label and id when asked for.
    /// </summary>
    public IEnumerable<TextRow> Rows()
    {
        using var reader = new StreamReader(Source.Open(), Encoding.UTF8);
        if (_separator is null)
        {
            var line = 0;
            while (reader.ReadLine() is { } text)
                yield return new TextRow(++line, text, null, null);
            yield break;
        }
        ReadRecord(reader, _separator.Value, Source.DisplayName); // header
        var row = 1;
        var needed = Math.Max(_textIndex, Math.Max(_labelIndex, _idIndex)) + 1;
        while (ReadRecord(reader, _separator.Value, Source.DisplayName) is { } record)
        {
            row++;
            if (record.Count == 1 && record[0].Length == 0) continue; // a blank line
            if (record.Count < needed)
                throw new CliInputException($"Row {row} of '{Source.DisplayName}' has {record.Count} field(s); at least {needed} are needed.");
            yield return new TextRow(row, record[_textIndex], _labelIndex >= 0 ? record[_labelIndex] : null, _idIndex >= 0 ? record[_idIndex] : null);
        }
    }

    /// <summary>Counts the rows (one pass), stopping at <paramref name="limit"/> when it is positive.</summary>
    public long Count(long limit = 0)
    {
        long n = 0;
        foreach (var _ in Rows())
            if (++n == limit) break;
        return n;
    }

    /// <summary>Reads one RFC 4180 record, or null at the end of the input.</summary>
    internal static List<string>? ReadRecord(TextReader reader, char separator, string source)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (!any) return null;
                if (inQuotes) throw new CliInputException($"'{source}': a quoted field is not closed before the end of the file.");
                fields.Add(field.ToString().TrimEnd('\r'));
                return fields;
            }
            any = true;
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else inQuotes = false;
                }
                else field.Append(ch);
            }
            else if (ch == '"' && field.Length == 0) inQuotes = true;
            else if (ch == separator) { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                return fields;
            }
            else field.Append(ch);
        }
    }
}
