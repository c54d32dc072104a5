using System.Text.Json.Nodes;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// The sentence-transformers description of an encoder folder (Reimers &amp; Gurevych, arXiv 1908.10084):
/// <c>modules.json</c> (Transformer → Pooling → optional Normalize), <c>sentence_bert_config.json</c>
/// (<c>max_seq_length</c>) and the pooling module's <c>config.json</c> (<c>pooling_mode_*</c> flags).
/// </summary>
public sealed record SentenceTransformersConfig
{
    /// <summary>The modules list of a sentence-transformers folder.</summary>
    public const string ModulesFileName = "modules.json";

    /// <summary>The file holding <c>max_seq_length</c>.</summary>
    public const string SentenceBertConfigFileName = "sentence_bert_config.json";

    /// <summary>The pooling module's folder that sentence-transformers writes (and that is read when modules.json does not name one).</summary>
    public const string DefaultPoolingFolder = "1_Pooling";

    private const string PoolingModuleType = "sentence_transformers.models.Pooling";
    private const string NormalizeModuleType = "sentence_transformers.models.Normalize";
    private const string TransformerModuleType = "sentence_transformers.models.Transformer";

    private static readonly (string Flag, EmbeddingPooling? Pooling)[] PoolingFlags =
    [
        ("pooling_mode_cls_token", EmbeddingPooling.Cls),
        ("pooling_mode_mean_tokens", EmbeddingPooling.Mean),
        ("pooling_mode_max_tokens", EmbeddingPooling.Max),
        ("pooling_mode_mean_sqrt_len_tokens", null),
        ("pooling_mode_weightedmean_tokens", null),
        ("pooling_mode_lasttoken", null),
    ];

    /// <summary>
    /// The pooling when the pooling module sets exactly one of the modes this library implements (CLS, mean, max);
    /// null when there is no pooling module or it asks for another mode or a combination (see <see cref="PoolingModes"/>).
    /// </summary>
    public EmbeddingPooling? Pooling { get; init; }

    /// <summary>The <c>pooling_mode_*</c> flags that are true, without the prefix (e.g. <c>mean_tokens</c>).</summary>
    public IReadOnlyList<string> PoolingModes { get; init; } = [];

    /// <summary>Whether a Normalize module follows the pooling (unit-length embeddings).</summary>
    public bool Normalize { get; init; }

    /// <summary><c>max_seq_length</c> of <c>sentence_bert_config.json</c>; null when absent.</summary>
    public int? MaxSeqLength { get; init; }

    /// <summary>The pooling module's <c>word_embedding_dimension</c>; null when absent.</summary>
    public int? WordEmbeddingDimension { get; init; }

    /// <summary>Reads the sentence-transformers files of <paramref name="folder"/>; null when it has neither modules.json nor sentence_bert_config.json.</summary>
    /// <exception cref="InvalidDataException">A file is not valid JSON of the expected shape; the message names it.</exception>
    internal static SentenceTransformersConfig? Read(string folder)
    {
        var modulesPath = Path.Combine(folder, ModulesFileName);
        var modules = EncoderJson.ReadArray(modulesPath);
        var sbert = EncoderJson.ReadObject(Path.Combine(folder, SentenceBertConfigFileName));
        if (modules is null && sbert is null) return null;

        var poolingFolder = DefaultPoolingFolder;
        var normalize = false;
        foreach (var module in modules ?? [])
        {
            if (module is not JsonObject m)
                throw new InvalidDataException($"'{modulesPath}': every module must be a JSON object.");
            var type = EncoderJson.String(m, "type") ?? "";
            if (type == PoolingModuleType) poolingFolder = EncoderJson.String(m, "path") ?? DefaultPoolingFolder;
            else if (type == NormalizeModuleType) normalize = true;
        }

        var pooling = EncoderJson.ReadObject(Path.Combine(folder, poolingFolder, "config.json"));
        var modes = PoolingFlags.Where(f => EncoderJson.Bool(pooling, f.Flag) == true).ToList();
        return new SentenceTransformersConfig
        {
            Pooling = modes.Count == 1 ? modes[0].Pooling : null,
            PoolingModes = modes.Select(f => f.Flag["pooling_mode_".Length..]).ToArray(),
            Normalize = normalize,
            MaxSeqLength = EncoderJson.Int(sbert, "max_seq_length"),
            WordEmbeddingDimension = EncoderJson.Int(pooling, "word_embedding_dimension"),
        };
    }

    /// <summary>
    /// Writes modules.json, sentence_bert_config.json and <c>1_Pooling/config.json</c> into <paramref name="folder"/>
    /// (atomically, file by file); <paramref name="dimension"/> is used when <see cref="WordEmbeddingDimension"/> is null.
    /// </summary>
    internal void Write(string folder, int dimension)
    {
        if (Pooling is not { } pooling)
            throw new InvalidOperationException("Only a sentence-transformers description with a CLS, mean or max pooling can be written.");
        var modules = new JsonArray
        {
            Module(0, "", TransformerModuleType),
            Module(1, DefaultPoolingFolder, PoolingModuleType),
        };
        if (Normalize) modules.Add(Module(2, "2_Normalize", NormalizeModuleType));
        EncoderJson.Write(Path.Combine(folder, ModulesFileName), modules);

        var sbert = new JsonObject { ["do_lower_case"] = false };
        if (MaxSeqLength is { } max) sbert["max_seq_length"] = max;
        EncoderJson.Write(Path.Combine(folder, SentenceBertConfigFileName), sbert);

        var poolingJson = new JsonObject { ["word_embedding_dimension"] = WordEmbeddingDimension ?? dimension };
        foreach (var (flag, mode) in PoolingFlags) poolingJson[flag] = mode == pooling;
        Directory.CreateDirectory(Path.Combine(folder, DefaultPoolingFolder));
        EncoderJson.Write(Path.Combine(folder, DefaultPoolingFolder, "config.json"), poolingJson);
        if (Normalize) Directory.CreateDirectory(Path.Combine(folder, "2_Normalize"));

        static JsonObject Module(int index, string path, string type) =>
            new() { ["idx"] = index, ["name"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture), ["path"] = path, ["type"] = type };
    }
}
