namespace MlNetIso.Benchmarks.Embedding;

/// <summary>One review of <c>movie-review-polarity-v2</c>: its cross-validation fold (0–9), label and text.</summary>
internal sealed record MovieReview(string Id, int Fold, bool Positive, string Text);

/// <summary>Readers of the shared datasets the embedding benchmarks use.</summary>
internal static class TextCorpora
{
    /// <summary>All 2,000 reviews of <c>movie-review-polarity-v2/movie_reviews.tsv</c> (header Id, Fold, Label, Text).</summary>
    public static IReadOnlyList<MovieReview> MovieReviews(string dataDir)
    {
        var path = Path.Combine(dataDir, "movie-review-polarity-v2", "movie_reviews.tsv");
        if (!File.Exists(path)) throw new FileNotFoundException($"Movie reviews '{path}' do not exist (pass --data <shared data dir>).", path);
        var reviews = new List<MovieReview>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)).Skip(1))
        {
            var fields = line.Split('\t');
            if (fields.Length != 4 || !int.TryParse(fields[1], out var fold) || fields[2] is not ("pos" or "neg"))
                throw new InvalidDataException($"'{path}' line {number} is not Id<TAB>Fold<TAB>pos|neg<TAB>Text.");
            reviews.Add(new MovieReview(fields[0], fold, fields[2] == "pos", fields[3]));
        }
        return reviews;
    }

    /// <summary>
    /// <paramref name="count"/> reviews spread evenly over the file (every k-th row, so both labels and all folds are present).
    /// </summary>
    public static IReadOnlyList<string> SpreadReviews(string dataDir, int count)
    {
        var all = MovieReviews(dataDir);
        count = Math.Min(count, all.Count);
        return Enumerable.Range(0, count).Select(i => all[(int)((long)i * all.Count / count)].Text).ToList();
    }

    /// <summary>
    /// The 10,662 sentences of rt-sentence-polarity-v1 with their labels (true = positive), positives and negatives
    /// interleaved (pos 1, neg 1, pos 2, …) so that any prefix or even spread is balanced.
    /// </summary>
    public static IReadOnlyList<(string Text, bool Positive)> RtPolarity(string dataDir)
    {
        var pos = Path.Combine(dataDir, "rt-sentence-polarity-v1", "rt-polarity.pos");
        var neg = Path.Combine(dataDir, "rt-sentence-polarity-v1", "rt-polarity.neg");
        foreach (var p in new[] { pos, neg })
            if (!File.Exists(p)) throw new FileNotFoundException($"Sentence file '{p}' does not exist (pass --data <shared data dir>).", p);
        var positives = File.ReadLines(pos).Where(l => l.Length > 0).ToList();
        var negatives = File.ReadLines(neg).Where(l => l.Length > 0).ToList();
        var result = new List<(string, bool)>(positives.Count + negatives.Count);
        for (var i = 0; i < Math.Max(positives.Count, negatives.Count); i++)
        {
            if (i < positives.Count) result.Add((positives[i], true));
            if (i < negatives.Count) result.Add((negatives[i], false));
        }
        return result;
    }

    /// <summary>The short texts of sms-spam-collection and rt-sentence-polarity-v1, in file order (about 16k lines).</summary>
    public static IReadOnlyList<string> ShortTexts(string dataDir)
    {
        var sms = Path.Combine(dataDir, "sms-spam-collection", "SMSSpamCollection");
        var rtPos = Path.Combine(dataDir, "rt-sentence-polarity-v1", "rt-polarity.pos");
        var rtNeg = Path.Combine(dataDir, "rt-sentence-polarity-v1", "rt-polarity.neg");
        foreach (var p in new[] { sms, rtPos, rtNeg })
            if (!File.Exists(p)) throw new FileNotFoundException($"Short-text file '{p}' does not exist (pass --data <shared data dir>).", p);
        var texts = File.ReadLines(sms).Select(l => l[(l.IndexOf('\t') + 1)..]).ToList();
        texts.AddRange(File.ReadLines(rtPos));
        texts.AddRange(File.ReadLines(rtNeg));
        return texts.Where(t => t.Length > 0).ToList();
    }
}
