namespace MlNetIso.Samples;

/// <summary>The encoder the samples use and the bundled sample texts, found from the repository root.</summary>
public static class SampleData
{
    /// <summary>The repository root (the folder holding MlNetIso.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>
    /// The encoder of every sample: the built-in all-MiniLM-L6-v2, by name (materialised into the model cache on first
    /// use). Any other built-in name, a model.onnx or an encoder folder works the same way.
    /// </summary>
    public const string Encoder = "all-MiniLM-L6-v2";

    /// <summary>The repository's 2 × 128 demo encoder (models/mlnetiso-mini): fast, for tests, far weaker than a real model.</summary>
    public static string DemoEncoder => Path.Combine(RepoRoot, "models", "mlnetiso-mini");

    /// <summary>A text row with a sentiment label.</summary>
    public sealed class Review
    {
        /// <summary>The text.</summary>
        public string Text { get; set; } = "";
        /// <summary>"pos" or "neg".</summary>
        public string Label { get; set; } = "";
    }

    /// <summary>The first <paramref name="perClass"/> positive and negative Rotten Tomatoes snippets (CC BY 4.0), interleaved.</summary>
    public static List<Review> Reviews(int perClass)
    {
        var dir = Path.Combine(RepoRoot, "data", "rt-sentence-polarity-v1");
        var pos = File.ReadLines(Path.Combine(dir, "rt-polarity.pos")).Take(perClass);
        var neg = File.ReadLines(Path.Combine(dir, "rt-polarity.neg")).Take(perClass);
        return pos.Zip(neg).SelectMany(p => new[] { new Review { Text = p.First, Label = "pos" }, new Review { Text = p.Second, Label = "neg" } }).ToList();
    }

    /// <summary>Full-length movie reviews (CC BY 4.0) — long texts for the collapse check.</summary>
    public static List<string> LongReviews(int count) =>
        File.ReadLines(Path.Combine(RepoRoot, "data", "movie-review-polarity-v2", "movie_reviews.folds0-1.tsv"))
            .Skip(1).Select(l => l.Split('\t')[3]).Take(count).ToList();

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MlNetIso.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the samples from inside the MlNetIso repository.");
    }
}
