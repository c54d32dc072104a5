using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// The small files of a materialised built-in encoder folder, besides <c>model.onnx</c>, <c>vocab.txt</c> and
/// <c>config.json</c>: the tokenizer settings (<c>tokenizer_config.json</c>), the sentence-transformers module
/// files that state the model's conventions (<c>modules.json</c>, <c>sentence_bert_config.json</c>,
/// <c>1_Pooling/config.json</c>, <c>config_sentence_transformers.json</c> with the query/document prompts) and a
/// model card (<c>README.md</c>). Contents are deterministic: the same encoder and config give the same bytes.
/// </summary>
internal static class BuiltInFolderFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Relative path (with '/') → file bytes.</summary>
    public static IReadOnlyDictionary<string, byte[]> Create(BuiltInEncoder encoder, BertConfig config, string origin)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["tokenizer_config.json"] = Json(new JsonObject
            {
                ["tokenizer_class"] = "BertTokenizer",
                ["do_lower_case"] = encoder.LowerCase,
                ["strip_accents"] = null,
                ["tokenize_chinese_chars"] = true,
                ["model_max_length"] = encoder.MaxSequenceLength,
                ["cls_token"] = "[CLS]",
                ["sep_token"] = "[SEP]",
                ["pad_token"] = "[PAD]",
                ["unk_token"] = "[UNK]",
                ["mask_token"] = "[MASK]",
            }),
            ["modules.json"] = Json(Modules(encoder)),
            ["sentence_bert_config.json"] = Json(new JsonObject
            {
                ["max_seq_length"] = encoder.MaxSequenceLength,
                ["do_lower_case"] = false,
            }),
            ["1_Pooling/config.json"] = Json(new JsonObject
            {
                ["word_embedding_dimension"] = config.HiddenSize,
                ["pooling_mode_cls_token"] = encoder.Pooling == EmbeddingPooling.Cls,
                ["pooling_mode_mean_tokens"] = encoder.Pooling == EmbeddingPooling.Mean,
                ["pooling_mode_max_tokens"] = encoder.Pooling == EmbeddingPooling.Max,
                ["pooling_mode_mean_sqrt_len_tokens"] = false,
                ["pooling_mode_weightedmean_tokens"] = false,
                ["pooling_mode_lasttoken"] = false,
                ["include_prompt"] = true,
            }),
            ["config_sentence_transformers.json"] = Json(new JsonObject
            {
                ["prompts"] = Prompts(encoder),
                ["default_prompt_name"] = null,
                ["similarity_fn_name"] = "cosine",
            }),
        };
        files["README.md"] = Encoding.UTF8.GetBytes(ModelCard(encoder, config, origin));
        return files;
    }

    private static JsonArray Modules(BuiltInEncoder encoder)
    {
        var modules = new JsonArray
        {
            Module(0, "", "sentence_transformers.models.Transformer"),
            Module(1, "1_Pooling", "sentence_transformers.models.Pooling"),
        };
        if (encoder.Normalize) modules.Add(Module(2, "2_Normalize", "sentence_transformers.models.Normalize"));
        return modules;
    }

    private static JsonObject Module(int index, string path, string type) => new()
    {
        ["idx"] = index,
        ["name"] = index.ToString(CultureInfo.InvariantCulture),
        ["path"] = path,
        ["type"] = type,
    };

    private static JsonObject Prompts(BuiltInEncoder encoder)
    {
        var prompts = new JsonObject();
        if (encoder.QueryPrefix is { } q) prompts["query"] = q;
        if (encoder.DocumentPrefix is { } d) prompts["document"] = d;
        return prompts;
    }

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Indented) + "\n");

    private static string ModelCard(BuiltInEncoder e, BertConfig c, string origin)
    {
        var inv = CultureInfo.InvariantCulture;
        var source = e.PackageId is null
            ? $"embedded in MlNetIso.Transforms (resources `{e.ModelResource}`, `{e.VocabularyResource}`); trained in the MlNetIso repository, see its `models/{e.Name}/README.md`"
            : $"NuGet package `{e.PackageId}` {e.PackageVersion}, manifest resources `{e.ModelResource}` and `{e.VocabularyResource}` of `{e.AssemblyFileName}` (read as data, the package's code is not run)";
        var pooling = e.Pooling switch
        {
            EmbeddingPooling.Mean => "mean of the token states over the attention mask",
            EmbeddingPooling.Cls => "the [CLS] token state (first position)",
            _ => "element-wise maximum over the real tokens",
        };
        var sb = new StringBuilder();
        sb.Append("# ").Append(e.Name).Append(" — MlNetIso built-in encoder\n\n");
        sb.Append(e.Description).Append("\n\n");
        sb.Append("| | |\n|---|---|\n");
        sb.Append("| name | `").Append(e.Name).Append("` |\n");
        if (e.HuggingFaceId is not null) sb.Append("| Hugging Face id | `").Append(e.HuggingFaceId).Append("` |\n");
        sb.Append("| source | ").Append(source).Append(" |\n");
        sb.Append("| extracted from | `").Append(origin).Append("` |\n");
        sb.Append("| licence | ").Append(e.License).Append(" |\n");
        sb.Append(inv, $"| shape | BERT, {c.NumHiddenLayers} layers, hidden {c.HiddenSize}, {c.NumAttentionHeads} heads, ");
        sb.Append(inv, $"intermediate {c.IntermediateSize}, vocabulary {c.VocabSize}, {c.MaxPositionEmbeddings} positions, {c.HiddenAct} |\n");
        sb.Append("| pooling | ").Append(pooling).Append(e.Normalize ? ", then L2 normalisation" : ", not normalised").Append(" |\n");
        sb.Append(inv, $"| max sequence length | {e.MaxSequenceLength} tokens, [CLS] and [SEP] included |\n");
        sb.Append("| tokenizer | WordPiece, ").Append(e.LowerCase ? "uncased (lower-case, strip accents)" : "cased").Append(" |\n");
        sb.Append("| query prefix | ").Append(e.QueryPrefix is null ? "none" : $"`{e.QueryPrefix}`").Append(" |\n");
        sb.Append("| document prefix | ").Append(e.DocumentPrefix is null ? "none" : $"`{e.DocumentPrefix}`").Append(" |\n\n");
        sb.Append("## Checksums\n\n");
        sb.Append("- `model.onnx`: sha256 `").Append(e.ModelSha256).Append("`\n");
        sb.Append("- `vocab.txt`: sha256 `").Append(e.VocabularySha256).Append("` (line endings written as LF)\n\n");
        sb.Append("Every file of this folder is listed with its SHA-256 in `SHA256SUMS` (check with `sha256sum -c SHA256SUMS`). ");
        sb.Append("MlNetIso verifies them each time the name is resolved and rebuilds the folder when one differs. ");
        sb.Append("`config.json` is ").Append(e.ConfigResource is null ? "inferred from the ONNX graph (OnnxBertImport)" : "the model's own").Append(".\n");
        return sb.ToString();
    }
}
