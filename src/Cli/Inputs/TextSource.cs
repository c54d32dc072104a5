namespace MlNetIso.Cli.Inputs;

/// <summary>
/// Where texts come from: a file the user named, or one of the sample files bundled inside the tool (so
/// <c>mlnetiso report</c> works in any folder). <see cref="Open"/> returns a fresh stream each time.
/// </summary>
internal sealed class TextSource
{
    private const string ResourcePrefix = "MlNetIso.Cli.Data.";
    private readonly Func<Stream> _open;

    private TextSource(string displayName, string extension, Func<Stream> open)
    {
        DisplayName = displayName;
        Extension = extension;
        _open = open;
    }

    /// <summary>How messages name the source: a relative path, or <c>bundled:NAME</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The lower-case file extension (.csv, .tsv, .txt, or another for one text per line).</summary>
    public string Extension { get; }

    /// <summary>The bundled positive Rotten Tomatoes snippets (5,331; CC BY 4.0; see data/README.md).</summary>
    public static TextSource SampleSentences => Bundled("rt-polarity.pos");

    /// <summary>The bundled negative Rotten Tomatoes snippets (5,331).</summary>
    public static TextSource SampleNegativeSentences => Bundled("rt-polarity.neg");

    /// <summary>The bundled long movie reviews (folds 0–1 of movie-review-polarity v2.0, 400 reviews; a TSV with a Text column).</summary>
    public static TextSource SampleReviews => Bundled("movie_reviews.folds0-1.tsv");

    /// <summary>The file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file (a folder is not a text file either).</exception>
    public static TextSource FromFile(string path)
    {
        var display = Arguments.DisplayPath.Of(path);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"Input '{display}' is a folder; give a text, CSV or TSV file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Input file '{display}' does not exist.", path);
        return new TextSource(display, Path.GetExtension(path).ToLowerInvariant(),
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
    }

    /// <summary>Opens the content for reading.</summary>
    public Stream Open() => _open();

    private static TextSource Bundled(string file) =>
        new("bundled:" + file, Path.GetExtension(file).ToLowerInvariant(), () =>
            typeof(TextSource).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new FileNotFoundException($"The bundled sample '{file}' is missing from the tool (a broken build)."));
}
