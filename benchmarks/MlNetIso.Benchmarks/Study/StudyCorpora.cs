using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MlNetIso.Benchmarks.Embedding;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Readers of the shared datasets the TempScale study uses (see the shared data README for origins and formats).
/// Every reader names the file and line it cannot parse.
/// </summary>
internal static partial class StudyCorpora
{
    /// <summary>The movie reviews as a text set (name "movie-reviews", or "movie-reviews-N" for a subsample).</summary>
    public static TextSet MovieReviews(IReadOnlyList<MovieReview> reviews) =>
        new(reviews.Count == 2000 ? "movie-reviews" : $"movie-reviews-{reviews.Count}", reviews.Select(r => r.Text).ToList());

    /// <summary>rt-sentence-polarity-v1: 5,331 positive then 5,331 negative snippets (label 1 = positive).</summary>
    public static LabelledTexts RtPolarity(string dataDir) =>
        TwoFiles(dataDir, "rt-polarity", "rt-sentence-polarity-v1", ("rt-polarity.neg", "negative"), ("rt-polarity.pos", "positive"));

    /// <summary>subjectivity-v1: 5,000 objective (plot) then 5,000 subjective (quote) sentences (label 1 = subjective).</summary>
    public static LabelledTexts Subjectivity(string dataDir) =>
        TwoFiles(dataDir, "subjectivity", "subjectivity-v1", ("plot.tok.gt9.5000", "objective"), ("quote.tok.gt9.5000", "subjective"));

    /// <summary>TREC-6: train.txt (5,452, Latin-1) then test.txt (500), coarse labels; <see cref="LabelledTexts.IsTest"/> marks test.txt.</summary>
    public static LabelledTexts Trec(string dataDir)
    {
        var folder = Path.Combine(dataDir, "trec-question-classification");
        var texts = new List<string>();
        var coarse = new List<string>();
        var isTest = new List<bool>();
        foreach (var (file, test) in new[] { ("train.txt", false), ("test.txt", true) })
        {
            var path = Require(Path.Combine(folder, file));
            foreach (var (line, number) in File.ReadLines(path, Encoding.Latin1).Select((l, i) => (l, i + 1)))
            {
                if (line.Length == 0) continue;
                var space = line.IndexOf(' ');
                var colon = line.IndexOf(':');
                if (space < 0 || colon < 0 || colon > space)
                    throw new InvalidDataException($"'{path}' line {number} is not 'COARSE:fine question'.");
                coarse.Add(line[..colon]);
                texts.Add(line[(space + 1)..]);
                isTest.Add(test);
            }
        }
        var classes = coarse.Distinct().Order(StringComparer.Ordinal).ToArray();
        return new LabelledTexts(new TextSet("trec", texts), coarse.Select(c => Array.IndexOf(classes, c)).ToArray(), classes, isTest.ToArray());
    }

    /// <summary>
    /// AG News test split (7,600): text = title + " " + description, with the file's "\" line breaks turned into spaces
    /// and its HTML entities ("#36;", "&amp;quot;") decoded; label = class − 1 (World, Sports, Business, Sci/Tech).
    /// </summary>
    public static LabelledTexts AgNews(string dataDir)
    {
        var path = Require(Path.Combine(dataDir, "ag-news-test", "test.csv"));
        var texts = new List<string>();
        var labels = new List<int>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)))
        {
            if (line.Length == 0) continue;
            var fields = CsvFields(line);
            if (fields.Count != 3 || !int.TryParse(fields[0], out var label) || label is < 1 or > 4)
                throw new InvalidDataException($"'{path}' line {number} is not \"class\",\"title\",\"description\" with class 1–4.");
            texts.Add(Clean(fields[1]) + " " + Clean(fields[2]));
            labels.Add(label - 1);
        }
        return new LabelledTexts(new TextSet("ag-news-test", texts), labels.ToArray(), ["World", "Sports", "Business", "Sci/Tech"]);
    }

    private static LabelledTexts TwoFiles(string dataDir, string name, string folder, (string File, string Class) first, (string File, string Class) second)
    {
        var texts = new List<string>();
        var labels = new List<int>();
        foreach (var (file, label) in new[] { (first.File, 0), (second.File, 1) })
        {
            var path = Require(Path.Combine(dataDir, folder, file));
            foreach (var line in File.ReadLines(path))
            {
                if (line.Trim().Length == 0) continue;
                texts.Add(line);
                labels.Add(label);
            }
        }
        return new LabelledTexts(new TextSet(name, texts), labels.ToArray(), [first.Class, second.Class]);
    }

    private static string Require(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Dataset file '{path}' does not exist (pass --data <shared data dir>).", path);

    /// <summary>Splits one CSV line with double-quoted fields ("" escapes a quote).</summary>
    private static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }

    private static string Clean(string field) =>
        WebUtility.HtmlDecode(BareEntity().Replace(field.Replace("\\", " "), "&#$1;")).Trim();

    [GeneratedRegex(@"(?<!&)#(\d+);")]
    private static partial Regex BareEntity();
}
