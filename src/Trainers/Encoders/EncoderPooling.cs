using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>How token states become one sentence vector.</summary>
public enum PoolingMode
{
    /// <summary>Mean over the real tokens: Σ_t m_t h_t / Σ_t m_t (Sentence-BERT's default).</summary>
    Mean,

    /// <summary>The state of the first token ([CLS]).</summary>
    Cls,
}

/// <summary>Sentence pooling of encoder token states, with optional L2 normalisation.</summary>
public static class EncoderPooling
{
    /// <summary>
    /// Pools <paramref name="hidden"/> [B, L, d] with <paramref name="attentionMask"/> [B, L] (1 = token) into [B, d];
    /// when <paramref name="normalize"/> is set each row is divided by its L2 norm (clamped at 1e-12).
    /// </summary>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask, PoolingMode mode, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var pooled = mode switch
        {
            PoolingMode.Mean => MeanPool(hidden, attentionMask),
            PoolingMode.Cls => hidden.select(1, 0),
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
}
