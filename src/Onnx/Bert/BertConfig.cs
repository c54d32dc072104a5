using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Onnx.Bert;

/// <summary>
/// The shape of a BERT-family encoder, read from and written to a Hugging Face <c>config.json</c>
/// (Devlin et al., arXiv 1810.04805). Only the fields an absolute-position, post-LayerNorm encoder needs are kept;
/// other keys in a user's file are ignored on read.
/// </summary>
public sealed record BertConfig
{
    /// <summary>Size of the WordPiece vocabulary (<c>vocab_size</c>).</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 30522;

    /// <summary>Width d of every token state (<c>hidden_size</c>).</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;

    /// <summary>Number of encoder layers (<c>num_hidden_layers</c>).</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;

    /// <summary>Number of attention heads; the head size is <see cref="HiddenSize"/> / heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;

    /// <summary>Width of the feed-forward block (<c>intermediate_size</c>).</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;

    /// <summary>Longest sequence the position table covers (<c>max_position_embeddings</c>).</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;

    /// <summary>Number of segment (token type) ids (<c>type_vocab_size</c>).</summary>
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;

    /// <summary>Epsilon of every LayerNorm (<c>layer_norm_eps</c>).</summary>
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>Activation of the feed-forward block; only the exact (erf) <c>gelu</c> is supported.</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";

    /// <summary>Id of the padding token (<c>pad_token_id</c>).</summary>
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }

    /// <summary>Hugging Face model type; always <c>bert</c> for files this library writes.</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "bert";

    /// <summary>Hugging Face architectures list, written so <c>AutoModel</c> picks <c>BertModel</c>.</summary>
    [JsonPropertyName("architectures")] public IReadOnlyList<string> Architectures { get; init; } = ["BertModel"];

    /// <summary>Position embedding kind; only <c>absolute</c> is supported.</summary>
    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";

    /// <summary>Dropout probabilities are stored for Hugging Face compatibility (training only).</summary>
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropoutProb { get; init; } = 0.1;

    /// <summary>Attention-probability dropout, stored for Hugging Face compatibility (training only).</summary>
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionProbsDropoutProb { get; init; } = 0.1;

    /// <summary>Head size d_head = hidden / heads.</summary>
    [JsonIgnore] public int HeadSize => HiddenSize / NumAttentionHeads;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Reads a Hugging Face <c>config.json</c>; throws <see cref="InvalidDataException"/> naming the file.</summary>
    public static BertConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Encoder config '{path}' does not exist.", path);
        BertConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<BertConfig>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Encoder config '{path}' is not valid JSON: {e.Message}", e);
        }
        if (config is null)
            throw new InvalidDataException($"Encoder config '{path}' is empty.");
        config.Validate(path);
        return config;
    }

    /// <summary>Writes this configuration as a Hugging Face <c>config.json</c> (atomically: temporary file, then rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Throws <see cref="InvalidDataException"/> when the shape is not a supported BERT encoder.</summary>
    public void Validate(string source = "config")
    {
        if (VocabSize <= 0 || HiddenSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 ||
            IntermediateSize <= 0 || MaxPositionEmbeddings <= 0 || TypeVocabSize <= 0)
            throw new InvalidDataException($"{source}: every size in the encoder config must be positive.");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new InvalidDataException(
                $"{source}: hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}.");
        if (!(LayerNormEps > 0) || !double.IsFinite(LayerNormEps))
            throw new InvalidDataException($"{source}: layer_norm_eps must be a positive finite number, not {LayerNormEps}.");
        if (HiddenDropoutProb is < 0 or > 1 || double.IsNaN(HiddenDropoutProb)
            || AttentionProbsDropoutProb is < 0 or > 1 || double.IsNaN(AttentionProbsDropoutProb))
            throw new InvalidDataException(
                $"{source}: the dropout probabilities must lie in [0, 1] (hidden_dropout_prob {HiddenDropoutProb}, " +
                $"attention_probs_dropout_prob {AttentionProbsDropoutProb}).");
        if (PositionEmbeddingType != "absolute")
            throw new InvalidDataException(
                $"{source}: position_embedding_type '{PositionEmbeddingType}' is not supported (only 'absolute').");
    }
}
