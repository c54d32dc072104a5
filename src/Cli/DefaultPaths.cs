namespace MlNetIso.Cli;

/// <summary>
/// The defaults every verb uses when the user does not choose: the encoder (<see cref="DefaultModel"/>, a built-in
/// name) and the bundled sample texts (<c>data/</c>), found by walking up from the working directory and from the
/// tool's own folder to the repository root.
/// </summary>
internal static class DefaultPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding MlNetIso.sln), or the working directory when not found.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>
    /// The encoder of every verb that embeds text when <c>--model</c> is not given: the built-in all-MiniLM-L6-v2
    /// (resolved by <c>EncoderFolder.Open</c>, materialised into the model cache on first use; see docs/encoders.md).
    /// </summary>
    public const string DefaultModel = "all-MiniLM-L6-v2";

    /// <summary>The bundled sample texts (positive Rotten Tomatoes snippets, CC BY 4.0; see data/README.md).</summary>
    public static string SampleTexts => Path.Combine(RepoRoot, "data", "rt-sentence-polarity-v1", "rt-polarity.pos");

    /// <summary>The bundled long texts for the collapse table (movie reviews, CC BY 4.0; see data/README.md).</summary>
    public static string LongTexts => Path.Combine(RepoRoot, "data", "movie-review-polarity-v2", "movie_reviews.folds0-1.tsv");

    /// <summary>The bundled labelled sentences: positive and negative Rotten Tomatoes snippets (CC BY 4.0).</summary>
    public static (string Positive, string Negative) SentimentPair =>
        (SampleTexts, Path.Combine(RepoRoot, "data", "rt-sentence-polarity-v1", "rt-polarity.neg"));

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MlNetIso.sln")))
                    return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
