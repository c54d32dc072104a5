using System.Globalization;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Options shared by the TempScale study verbs (<c>collapse-study</c>, <c>tempscale-embed</c>, <c>tempscale-downstream</c>,
/// <c>tempscale-mechanism</c>):
/// <c>--model DIR --pooling mean|cls</c> (the encoder), <c>--temperatures 1,0.9,…</c> (default 1,0.9,0.8,0.7,0.6,0.5;
/// τ = 1 is always included), <c>--modes truncate,chunk</c> (default both), <c>--reviews N</c> (default all 2,000; an
/// even subsample within each fold), <c>--max-tokens N</c> (default 512), <c>--threads N</c> (ONNX Runtime intra-op,
/// default 2), <c>--cache DIR</c> (default <see cref="EmbeddingCache.DefaultFolder"/>), <c>--out-dir DIR</c>
/// (Markdown, JSON and PNG results; default <c>study-results</c> beside the repository), <c>--bootstrap B</c>
/// (resamples, default 2000), <c>--seed S</c> (bootstrap seed, default 20261201), <c>--data DIR</c>,
/// <c>--cached-only</c> (analyse only the τ already in the cache; compute nothing).
/// </summary>
internal sealed class StudyOptions
{
    /// <summary>The study's default temperatures.</summary>
    public static readonly float[] DefaultTemperatures = [1f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f];

    public required BenchmarkArguments Args { get; init; }
    public required StudyEncoder Encoder { get; init; }
    public required string DataDir { get; init; }
    public required IReadOnlyList<float> Temperatures { get; init; }
    public required IReadOnlyList<LongTextMode> Modes { get; init; }
    public required int Reviews { get; init; }
    public required int MaxTokens { get; init; }
    public required int Threads { get; init; }
    public required EmbeddingCache Cache { get; init; }
    public required string OutDir { get; init; }
    public required int BootstrapReplicates { get; init; }
    public required int Seed { get; init; }

    /// <summary>True with <c>--cached-only</c>: the analysis verbs use only cached embedding sets.</summary>
    public bool CachedOnly => Args.Has("--cached-only");

    /// <summary>
    /// The temperatures to analyse for one text set: all of <see cref="Temperatures"/>, or with <c>--cached-only</c>
    /// those already cached (τ = 1 must be, else the set is skipped: empty list).
    /// </summary>
    public IReadOnlyList<float> Available(StudyEmbedder embedder, TextSet texts, LongTextMode mode, int maxTokens)
    {
        if (!CachedOnly) return Temperatures;
        var cached = Temperatures.Where(t => embedder.IsCached(texts, t, mode, maxTokens)).ToList();
        return cached.Contains(1f) ? cached : [];
    }

    /// <summary>An embedder over the encoder and the cache.</summary>
    public StudyEmbedder Embedder() => new(Encoder, Cache, Threads);

    /// <summary>Parses the shared options; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    public static StudyOptions Parse(string[] argv)
    {
        var args = new BenchmarkArguments(argv);
        var dataDir = RepoPaths.RequireSharedData(args);
        var temperatures = ParseTemperatures(args.Value("--temperatures"));
        var modesText = args.Value("--modes") ?? args.Value("--long-text") ?? "truncate,chunk";
        var modes = modesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => m.ToLowerInvariant() switch
            {
                "truncate" => LongTextMode.Truncate,
                "chunk" => LongTextMode.Chunk,
                _ => throw new ArgumentException($"--modes takes truncate and/or chunk, not '{m}'."),
            }).Distinct().ToList();
        if (modes.Count == 0) throw new ArgumentException("--modes needs at least one of truncate, chunk.");
        return new StudyOptions
        {
            Args = args,
            Encoder = StudyEncoder.Resolve(args),
            DataDir = dataDir,
            Temperatures = temperatures,
            Modes = modes,
            Reviews = args.Int("--reviews", 2000),
            MaxTokens = args.Int("--max-tokens", 512),
            Threads = args.Int("--threads", 2),
            Cache = new EmbeddingCache(args.Value("--cache") ?? EmbeddingCache.DefaultFolder()),
            OutDir = Path.GetFullPath(args.Value("--out-dir") ?? Path.Combine(RepoPaths.Root, "..", "study-results")),
            BootstrapReplicates = args.Int("--bootstrap", 2000),
            Seed = args.Int("--seed", 20261201),
        };
    }

    /// <summary>Parses "1,0.9,0.8"; τ = 1 is added first when missing; every τ must be in (0, 1].</summary>
    public static IReadOnlyList<float> ParseTemperatures(string? text)
    {
        if (text is null) return DefaultTemperatures;
        var list = new List<float>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !(t > 0f) || t > 1f)
                throw new ArgumentException($"--temperatures takes numbers in (0, 1], not '{part}'.");
            if (!list.Contains(t)) list.Add(t);
        }
        if (!list.Contains(1f)) list.Insert(0, 1f);
        return list;
    }
}
