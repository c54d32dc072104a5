using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>
/// One mini-batch of network input: dense features [B, d] (head-only) or token ids and attention mask [B, T]
/// (fine-tune). Owns its tensors.
/// </summary>
internal sealed class IStarBatch : IDisposable
{
    /// <summary>Head-only input, float32 [B, d].</summary>
    public Tensor? Features { get; init; }

    /// <summary>Fine-tune input ids, int64 [B, T].</summary>
    public Tensor? TokenIds { get; init; }

    /// <summary>Fine-tune attention mask, int64 [B, T] (1 = real token, 0 = padding).</summary>
    public Tensor? AttentionMask { get; init; }

    /// <summary>Rows in the batch.</summary>
    public long Size => (Features ?? TokenIds ?? throw new InvalidOperationException("Empty batch.")).shape[0];

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Features?.Dispose();
        TokenIds?.Dispose();
        AttentionMask?.Dispose();
    }
}
