namespace MlNetIso.Transforms.Encoders;

/// <summary>Outcome of <see cref="EncoderLayerOutputs.Expose"/>: the edited model and the names of its new outputs.</summary>
/// <param name="Model">The serialised model with the per-layer values added as graph outputs (original outputs kept, first).</param>
/// <param name="LayerCount">Number of encoder layers L (self-attention sites) found.</param>
/// <param name="HiddenStates">
/// Output names of h⁽⁰⁾ … h⁽ᴸ⁾ (L + 1 entries: [0] the embedding output, [ℓ] the output of layer ℓ), each
/// [batch, sequence, hidden]; empty when not requested. The last one may be an existing output (e.g. <c>last_hidden_state</c>).
/// </param>
/// <param name="AttentionProbabilities">
/// Output names of A⁽¹⁾ … A⁽ᴸ⁾ (L entries, [ℓ − 1] for layer ℓ), each [batch, heads, sequence, sequence], rows summing
/// to 1 over the key axis (padded keys get 0); empty when not requested.
/// </param>
public sealed record EncoderLayerOutputsResult(
    byte[] Model,
    int LayerCount,
    IReadOnlyList<string> HiddenStates,
    IReadOnlyList<string> AttentionProbabilities);
