using System.Text.Json.Nodes;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// The sentence-transformers description of an encoder folder (Reimers &amp; Gurevych, arXiv 1908.10084):
/// <c>modules.json</c> (Transformer → Pooling → optional Normalize), <c>sentence_bert_config.json</c>
/// (<c>max_seq_length</c>), the pooling module's <c>config.json</c> (<c>pooling_mode_*</c> flags, <c>include_prompt</c>)
/// and <c>config_sentence_transformers.json</c> (<c>prompts</c>: the text put before a query or a document). These are
/// the model's own conventions; the TempScale embedding transform takes them as its defaults.
/// </summary>
public sealed record SentenceTransformersConfig
{
    /// <summary>The modules list of a sentence-transformers folder.</summary>
    public const string ModulesFileName = "modules.json";

    /// <summary>The file holding <c>max_seq_length</c>.</summary>
    public const string SentenceBertConfigFileName = "sentence_bert_config.json";

    /// <summary>The pooling module's folder that sentence-transformers writes (and that is read when modules.json does not name one).</summary>
    public const string DefaultPoolingFolder = "1_Pooling";

    /// <summary>The file holding the <c>prompts</c> (e.g. a query instruction) and <c>default_prompt_name</c>.</summary>
    public const string ModelConfigFileName = "config_sentence_transformers.json";

    /// <summary>The prompt name sentence-transformers uses for search queries.</summary>
    public const string QueryPromptName = "query";

    /// <summary>The prompt names used for documents, in the order they are looked for (models use either).</summary>
    public static IReadOnlyList<string> DocumentPromptNames { get; } = ["document", "passage"];

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

    /// <summary>
    /// The pooling module's <c>include_prompt</c> (default true): whether the tokens of a prompt count in the pooling.
    /// False asks to pool only the text's own tokens, which the embedding transform refuses for mean and max pooling.
    /// </summary>
    public bool IncludePrompt { get; init; } = true;

    /// <summary>
    /// The <c>prompts</c> of <c>config_sentence_transformers.json</c>: prompt name (e.g. <c>query</c>) → text put in
    /// front of the input before tokenisation. Empty when there are none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Prompts { get; init; } = new Dictionary<string, string>();

    /// <summary>The prompt for search queries (<c>prompts["query"]</c>), or null.</summary>
    public string? QueryPrompt => Prompts.TryGetValue(QueryPromptName, out var p) ? p : null;

    /// <summary>The prompt for documents (<c>prompts["document"]</c>, else <c>prompts["passage"]</c>), or null.</summary>
    public string? DocumentPrompt =>
        DocumentPromptNames.Select(n => Prompts.TryGetValue(n, out var p) ? p : null).FirstOrDefault(p => p is not null);

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
            IncludePrompt = EncoderJson.Bool(pooling, "include_prompt") ?? true,
            Prompts = ReadPrompts(Path.Combine(folder, ModelConfigFileName)),
        };
    }

    /// <summary>The string entries of the <c>prompts</c> object of <paramref name="path"/>; empty when the file or key is absent.</summary>
    private static Dictionary<string, string> ReadPrompts(string path)
    {
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (EncoderJson.ReadObject(path)?["prompts"] is not JsonObject entries) return prompts;
        foreach (var (name, value) in entries)
        {
            if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String) prompts[name] = v.GetValue<string>();
            else if (value is not null)
                throw new InvalidDataException($"'{path}': prompt '{name}' must be a string.");
        }
        return prompts;
    }

    /// <summary>
    /// Writes modules.json, sentence_bert_config.json, <c>1_Pooling/config.json</c> and
    /// <c>config_sentence_transformers.json</c> into <paramref name="folder"/> (atomically, file by file);
    /// <paramref name="dimension"/> is used when <see cref="WordEmbeddingDimension"/> is null.
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
        poolingJson["include_prompt"] = IncludePrompt;
        Directory.CreateDirectory(Path.Combine(folder, DefaultPoolingFolder));
        EncoderJson.Write(Path.Combine(folder, DefaultPoolingFolder, "config.json"), poolingJson);
        if (Normalize) Directory.CreateDirectory(Path.Combine(folder, "2_Normalize"));

        var prompts = new JsonObject();
        foreach (var (name, prompt) in Prompts.OrderBy(p => p.Key, StringComparer.Ordinal)) prompts[name] = prompt;
        EncoderJson.Write(Path.Combine(folder, ModelConfigFileName), new JsonObject
        {
            ["prompts"] = prompts,
            ["default_prompt_name"] = null,
            ["similarity_fn_name"] = "cosine",
        });

        static JsonObject Module(int index, string path, string type) =>
            new() { ["idx"] = index, ["name"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture), ["path"] = path, ["type"] = type };
    }
}
