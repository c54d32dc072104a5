using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// What <see cref="BertEncoder.Forward"/> returns: the last layer's token states and every layer's states
/// (Hugging Face <c>output_hidden_states</c> convention: index 0 is the embedding output, index i the output of
/// layer i, so there are <c>num_hidden_layers + 1</c> entries and the last one is <see cref="LastHiddenState"/>).
/// Disposing the output disposes every tensor it holds.
/// </summary>
internal sealed class BertEncoderOutput : IDisposable
{
    internal BertEncoderOutput(IReadOnlyList<Tensor> hiddenStates) => HiddenStates = hiddenStates;

    /// <summary>Token states of the last layer, [batch, length, hidden].</summary>
    public Tensor LastHiddenState => HiddenStates[^1];

    /// <summary>Embedding output followed by each layer's output, each [batch, length, hidden].</summary>
    public IReadOnlyList<Tensor> HiddenStates { get; }

    /// <summary>Disposes all hidden-state tensors.</summary>
    public void Dispose()
    {
        foreach (var t in HiddenStates) t.Dispose();
    }
}
