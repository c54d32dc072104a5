using System.Text;

namespace MlNetIso.Cli.Inputs;

/// <summary>
/// Streams one text column (and optionally a label column) from a file: a plain <c>.txt</c> file has one text per
/// line; <c>.csv</c> and <c>.tsv</c> files have a header row and RFC 4180 quoting (quoted fields may hold separators,
/// doubled quotes and line breaks). Rows are yielded lazily, so a large file is never held in memory.
/// </summary>
internal sealed class TextTable
{
    private readonly string _path;
    private readonly char? _separator;
    private readonly int _textIndex;
    private readonly int _labelIndex;

    private TextTable(string path, char? separator, int textIndex, int labelIndex)
    {
        _path = path;
        _separator = separator;
        _textIndex = textIndex;
        _labelIndex = labelIndex;
    }

    /// <summary>
    /// Opens <paramref name="path"/>. For CSV/TSV, <paramref name="textColumn"/> (default: the first column named
    /// Text/text/Sentence, else the last column) and <paramref name="labelColumn"/> are looked up in the header.
    /// </summary>
    public static TextTable Open(string path, string? textColumn = null, string? labelColumn = null)
    {
        if (!File.Exists(path))
            throw new CliInputException($"Input file '{path}' does not exist.");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        char? sep = ext switch { ".csv" => ',', ".tsv" => '\t', _ => null };
        if (sep is null)
        {
            if (labelColumn is not null)
                throw new CliInputException($"Input '{path}' is a plain text file (one text per line); a label column needs a .csv or .tsv file.");
            return new TextTable(path, null, 0, -1);
        }
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = ReadRecord(reader, sep.Value) ?? throw new CliInputException($"Input file '{path}' is empty (a header row is needed).");
        int Find(string name) =>
            header.FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
                ? i
                : throw new CliInputException($"Column '{name}' is not in the header of '{path}' (columns: {string.Join(", ", header)}).");
        int textIndex = textColumn is not null
            ? Find(textColumn)
            : header.FindIndex(h => h.Trim().ToLowerInvariant() is "text" or "sentence" or "sentencetext") is var t and >= 0 ? t : header.Count - 1;
        int labelIndex = labelColumn is not null ? Find(labelColumn) : -1;
        return new TextTable(path, sep, textIndex, labelIndex);
    }

    /// <summary>The rows as (text, label) pairs; label is null when no label column was asked for.</summary>
    public IEnumerable<(string Text, string? Label)> Rows()
    {
        using var reader = new StreamReader(_path, Encoding.UTF8);
        if (_separator is null)
        {
            while (reader.ReadLine() is { } line)
                yield return (line, null);
            yield break;
        }
        ReadRecord(reader, _separator.Value); // header
        var rowNumber = 1;
        while (ReadRecord(reader, _separator.Value) is { } record)
        {
            rowNumber++;
            if (record.Count == 1 && record[0].Length == 0) continue; // blank line
            var needed = Math.Max(_textIndex, _labelIndex) + 1;
            if (record.Count < needed)
                throw new CliInputException($"Row {rowNumber} of '{_path}' has {record.Count} field(s); at least {needed} are needed.");
            yield return (record[_textIndex], _labelIndex >= 0 ? record[_labelIndex] : null);
        }
    }

    /// <summary>Reads one RFC 4180 record, or null at end of file.</summary>
    internal static List<string>? ReadRecord(TextReader reader, char separator)
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
                if (inQuotes) throw new CliInputException("A quoted field is not closed before the end of the file.");
                fields.Add(field.ToString());
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
