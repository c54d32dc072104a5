namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>
/// The vendored training text under <c>data/</c> (CC BY 4.0, Pang &amp; Lee; see data/README.md) and the
/// rt-sentence-polarity split used for the sentiment probe. Every fifth snippet of each polarity file
/// (line index % 5 == 0) is held out: it is used neither for the vocabulary nor for masked-LM training.
/// </summary>
internal sealed class DemoCorpus
{
    /// <summary>Texts for the vocabulary and masked-LM pre-training (held-out snippets excluded).</summary>
    public required IReadOnlyList<string> PretrainingTexts { get; init; }

    /// <summary>rt-sentence-polarity training split (label true = positive).</summary>
    public required IReadOnlyList<(string Text, bool Positive)> SentimentTrain { get; init; }

    /// <summary>rt-sentence-polarity held-out split.</summary>
    public required IReadOnlyList<(string Text, bool Positive)> SentimentTest { get; init; }

    /// <summary>Counts of texts per source, for the model card.</summary>
    public required IReadOnlyDictionary<string, int> SourceCounts { get; init; }

    public static DemoCorpus Load(string dataDir)
    {
        string Req(params string[] parts)
        {
            var p = Path.Combine([dataDir, .. parts]);
            return File.Exists(p) ? p : throw new FileNotFoundException($"Vendored data file '{p}' is missing.", p);
        }

        var pos = File.ReadAllLines(Req("rt-sentence-polarity-v1", "rt-polarity.pos"));
        var neg = File.ReadAllLines(Req("rt-sentence-polarity-v1", "rt-polarity.neg"));
        var train = new List<(string, bool)>();
        var test = new List<(string, bool)>();
        foreach (var (lines, label) in new[] { (pos, true), (neg, false) })
            for (int i = 0; i < lines.Length; i++)
            {
                var t = lines[i].Trim();
                if (t.Length == 0) continue;
                (i % 5 == 0 ? test : train).Add((t, label));
            }

        var subjective = NonEmpty(File.ReadAllLines(Req("subjectivity-v1", "quote.tok.gt9.5000")));
        var objective = NonEmpty(File.ReadAllLines(Req("subjectivity-v1", "plot.tok.gt9.5000")));
        var reviews = ReviewChunks(Req("movie-review-polarity-v2", "movie_reviews.folds0-1.tsv"), 48);

        var pretraining = new List<string>();
        pretraining.AddRange(train.Select(x => x.Item1));
        pretraining.AddRange(subjective);
        pretraining.AddRange(objective);
        pretraining.AddRange(reviews);
        return new DemoCorpus
        {
            PretrainingTexts = pretraining,
            SentimentTrain = train,
            SentimentTest = test,
            SourceCounts = new Dictionary<string, int>
            {
                ["rt-sentence-polarity-v1 (training split)"] = train.Count,
                ["subjectivity-v1 quote+plot"] = subjective.Count + objective.Count,
                ["movie-review-polarity-v2 folds 0-1 (chunks)"] = reviews.Count,
            },
        };
    }

    private static List<string> NonEmpty(IEnumerable<string> lines)
        => lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    /// <summary>Splits each review into chunks of whole sentences of about <paramref name="words"/> words.</summary>
    private static List<string> ReviewChunks(string tsvPath, int words)
    {
        var chunks = new List<string>();
        foreach (var line in File.ReadLines(tsvPath).Skip(1))
        {
            var cols = line.Split('\t');
            if (cols.Length != 4) throw new InvalidDataException($"{tsvPath}: expected 4 tab-separated columns in '{cols[0]}'.");
            var current = new List<string>();
            foreach (var token in cols[3].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                current.Add(token);
                bool sentenceEnd = token is "." or "!" or "?";
                if (sentenceEnd && current.Count >= words / 2 || current.Count >= words)
                {
                    chunks.Add(string.Join(' ', current));
                    current.Clear();
                }
            }
            if (current.Count >= 5) chunks.Add(string.Join(' ', current));
        }
        return chunks;
    }
}
