namespace MlNetIso.Transforms.Encoders;

/// <summary>Which per-layer values <see cref="EncoderLayerOutputs.Expose"/> adds as graph outputs.</summary>
[Flags]
public enum LayerOutputKinds
{
    /// <summary>Nothing (not a valid request).</summary>
    None = 0,

    /// <summary>
    /// The hidden states h⁽⁰⁾ … h⁽ᴸ⁾, each [batch, sequence, hidden]: h⁽⁰⁾ the embedding output, h⁽ℓ⁾ the output of
    /// layer ℓ (Hugging Face's <c>output_hidden_states</c>; h⁽ᴸ⁾ is <c>last_hidden_state</c>).
    /// </summary>
    HiddenStates = 1,

    /// <summary>
    /// The attention probabilities A⁽¹⁾ … A⁽ᴸ⁾, each [batch, heads, sequence, sequence]: the output of every
    /// self-attention softmax (Hugging Face's <c>output_attentions</c>), after any TempScale rewrite.
    /// </summary>
    AttentionProbabilities = 2,
}
