using System.Globalization;
using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// What a materialised built-in encoder folder holds besides <c>model.onnx</c> and <c>vocab.txt</c>, as an
/// <see cref="EncoderFolderContent"/> for <see cref="EncoderFolder.Write"/> (the one writer of the layout):
/// <c>config.json</c>, the tokenizer settings, the sentence-transformers description of the model's conventions
/// (pooling, normalisation, <c>max_seq_length</c>, the query/document prompts) and a model card. Contents are
/// deterministic: the same encoder and config give the same bytes.
/// </summary>
internal static class BuiltInFolderContent
{
    /// <summary>The content for <paramref name="encoder"/> with shape <paramref name="config"/>, extracted from <paramref name="origin"/>.</summary>
    public static EncoderFolderContent Create(BuiltInEncoder encoder, BertConfig config, string origin)
    {
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (encoder.QueryPrefix is { } q) prompts[SentenceTransformersConfig.QueryPromptName] = q;
        if (encoder.DocumentPrefix is { } d) prompts[SentenceTransformersConfig.DocumentPromptNames[0]] = d;
        return new EncoderFolderContent
        {
            Config = config,
            Tokenizer = new TokenizerConfig
            {
                TokenizerClass = "BertTokenizer",
                LowerCase = encoder.LowerCase,
                // HF's BertTokenizer reads model_max_length as the longest input; that is the model's max_seq_length.
                ModelMaxLength = encoder.MaxSequenceLength,
            },
            SentenceTransformers = new SentenceTransformersConfig
            {
                Pooling = encoder.Pooling,
                Normalize = encoder.Normalize,
                MaxSeqLength = encoder.MaxSequenceLength,
                WordEmbeddingDimension = config.HiddenSize,
                IncludePrompt = true,
                Prompts = prompts,
            },
            ModelCard = ModelCard(encoder, config, origin),
        };
    }

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
