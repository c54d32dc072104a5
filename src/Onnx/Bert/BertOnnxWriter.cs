using System.Globalization;
using Google.Protobuf;

namespace MlNetIso.Onnx.Bert;

/// <summary>
/// Writes a BERT encoder (Devlin et al., arXiv 1810.04805; absolute positions, post-LayerNorm, exact erf GELU) as an
/// ONNX model with the same contract as a Hugging Face <c>optimum-cli export onnx --task feature-extraction</c> export:
/// int64 inputs <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> of shape [batch, sequence] (symbolic),
/// and float output <c>last_hidden_state</c> [batch, sequence, hidden].
/// </summary>
/// <remarks>
/// <para>Embeddings: LN(E_word[ids] + E_pos[0..S) + E_type[type_ids]). Each layer, with X its input:
/// A = softmax(Q·Kᵀ/√d_head + M)·V per head, written as the eager Hugging Face pattern
/// MatMul(Q, Kᵀ) → Div(√d_head) → Add(M) → Softmax → MatMul(V); H = LN(X + A·W_O + b_O);
/// Y = LN(H + GELU(H·W_I + b_I)·W_2 + b_2) with GELU(x) = x·½·(1 + erf(x/√2)).</para>
/// <para>The extended mask is M = (1 − attention_mask)·(−10000) broadcast to [batch, 1, 1, sequence] (BERT's original
/// value). Hugging Face uses float.MinValue instead; both give exactly zero probability to padded keys in float32,
/// but −10000 stays finite when a temperature rewrite (<c>TempScale</c>) divides the softmax input by τ &lt; 1,
/// so a fully padded row can never become NaN.</para>
/// <para>Linear weights are given as PyTorch [out, in] and stored transposed ([in, out], the MatMul layout) under
/// their Hugging Face names. <c>metadata_props</c> records the config (keys <see cref="MaxPositionEmbeddingsKey"/>,
/// <see cref="VocabSizeKey"/>, ...).</para>
/// </remarks>
public static class BertOnnxWriter
{
    /// <summary>metadata_props key holding the config's <c>max_position_embeddings</c>.</summary>
    public const string MaxPositionEmbeddingsKey = "mlnetiso.bert.max_position_embeddings";

    /// <summary>metadata_props key holding the config's <c>vocab_size</c>.</summary>
    public const string VocabSizeKey = "mlnetiso.bert.vocab_size";

    /// <summary>metadata_props key holding the config's <c>hidden_size</c>.</summary>
    public const string HiddenSizeKey = "mlnetiso.bert.hidden_size";

    /// <summary>metadata_props key holding the config's <c>num_attention_heads</c>.</summary>
    public const string NumAttentionHeadsKey = "mlnetiso.bert.num_attention_heads";

    /// <summary>metadata_props key holding the config's <c>num_hidden_layers</c>.</summary>
    public const string NumHiddenLayersKey = "mlnetiso.bert.num_hidden_layers";

    /// <summary>Additive value given to padded keys before the softmax.</summary>
    internal const float MaskValue = -10000f;

    /// <summary>The lowest ONNX IR version that allows the given ai.onnx opset (IR 8: opset ≤ 18, 9: 19–20, 10: 21).</summary>
    internal static long IrVersionFor(int opset) => opset <= 18 ? 8 : opset <= 20 ? 9 : 10;

    /// <summary>
    /// Builds the ONNX model of the encoder described by <paramref name="config"/> with the given weights.
    /// </summary>
    /// <param name="config">Encoder shape; must pass <see cref="BertConfig.Validate"/> and use <c>hidden_act = gelu</c>.</param>
    /// <param name="weights">Hugging Face tensors (optionally prefixed <c>bert.</c>); extra tensors are ignored.</param>
    /// <param name="options">Opset and optional pooled output; defaults when null.</param>
    /// <returns>The serialised ONNX <c>ModelProto</c>.</returns>
    /// <exception cref="ArgumentException">Missing or wrongly shaped tensors (all listed), unsupported activation or opset.</exception>
    /// <exception cref="InvalidDataException">The config is not a supported BERT shape.</exception>
    public static byte[] Write(BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights,
        BertOnnxWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        options ??= new BertOnnxWriterOptions();
        config.Validate();
        if (config.HiddenAct != "gelu")
            throw new ArgumentException(
                $"hidden_act '{config.HiddenAct}' is not supported; only the exact erf 'gelu' is.", nameof(config));
        if (options.Opset is < BertOnnxWriterOptions.MinOpset or > BertOnnxWriterOptions.MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset,
                $"Opset must be between {BertOnnxWriterOptions.MinOpset} and {BertOnnxWriterOptions.MaxOpset}.");
        var resolved = BertWeights.Resolve(config, weights);

        var builder = new OnnxGraphBuilder("bert_encoder", options.Opset);
        new BertGraphEmitter(builder, config, resolved, options.Opset, options.FusedOperators).Emit(options.IncludeSentenceEmbedding);

        var inv = CultureInfo.InvariantCulture;
        builder.AddMetadata(MaxPositionEmbeddingsKey, config.MaxPositionEmbeddings.ToString(inv));
        builder.AddMetadata(VocabSizeKey, config.VocabSize.ToString(inv));
        builder.AddMetadata(HiddenSizeKey, config.HiddenSize.ToString(inv));
        builder.AddMetadata(NumAttentionHeadsKey, config.NumAttentionHeads.ToString(inv));
        builder.AddMetadata(NumHiddenLayersKey, config.NumHiddenLayers.ToString(inv));
        return builder.ToModel("MlNetIso.BertOnnxWriter", IrVersionFor(options.Opset)).ToByteArray();
    }
}
