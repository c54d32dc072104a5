using MlNetIso.Transforms.Embedding;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// Sentence pooling of encoder token states, with optional L2 normalisation: the TorchSharp counterpart of the pooling
/// the TempScale embedding transform applies to ONNX outputs, named by the same <see cref="EmbeddingPooling"/>.
/// </summary>
internal static class EncoderPooling
{
    /// <summary>
    /// Pools <paramref name="hidden"/> [B, L, d] with <paramref name="attentionMask"/> [B, L] (1 = token) into [B, d];
    /// when <paramref name="normalize"/> is set each row is divided by its L2 norm (clamped at 1e-12).
    /// </summary>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask, EmbeddingPooling mode, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var pooled = mode switch
        {
            EmbeddingPooling.Mean => MeanPool(hidden, attentionMask),
            EmbeddingPooling.Cls => hidden.select(1, 0),
            EmbeddingPooling.Max => MaxPool(hidden, attentionMask),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pooling mode."),
        };
        if (normalize) pooled = nn.functional.normalize(pooled, p: 2.0, dim: -1, eps: 1e-12);
        return pooled.MoveToOuterDisposeScope();
    }

    private static Tensor MeanPool(Tensor hidden, Tensor attentionMask)
    {
        var m = attentionMask.to_type(hidden.dtype).unsqueeze(-1);
        var sum = (hidden * m).sum(1);
        using var least = 1e-9.ToScalar();
        var count = m.sum(1).clamp_min(least);
        return sum / count;
    }

    // Padding positions are set to the lowest float so they never win; a row is assumed to have at least one real token.
    private static Tensor MaxPool(Tensor hidden, Tensor attentionMask)
    {
        using var zero = 0L.ToScalar(); // kept alive: an implicit Scalar temporary can be finalised during the call
        var padding = attentionMask.eq(zero).unsqueeze(-1);
        using var lowest = float.MinValue.ToScalar();
        return hidden.masked_fill(padding, lowest).amax(1);
    }
}
