using System.Numerics.Tensors;

namespace MlNetIso.Transforms.Embedding;

/// <summary>Pooling and normalisation of token states; plain spans, no ML.NET or ONNX types.</summary>
internal static class EmbeddingMath
{
    /// <summary>
    /// Pools the first <paramref name="count"/> token states of one sequence (row-major [tokens, d]) into
    /// <paramref name="dest"/>: Mean e = (1/n) Σₜ hₜ, Cls e = h₀, Max eⱼ = maxₜ hₜⱼ (t &lt; n, padding excluded).
    /// </summary>
    public static void Pool(ReadOnlySpan<float> states, int count, int d, EmbeddingPooling pooling, Span<float> dest)
    {
        states[..d].CopyTo(dest);
        switch (pooling)
        {
            case EmbeddingPooling.Cls:
                return;
            case EmbeddingPooling.Mean:
                for (var t = 1; t < count; t++) TensorPrimitives.Add(dest, states.Slice(t * d, d), dest);
                TensorPrimitives.Divide(dest, count, dest);
                return;
            case EmbeddingPooling.Max:
                for (var t = 1; t < count; t++) TensorPrimitives.Max(dest, states.Slice(t * d, d), dest);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling.");
        }
    }

    /// <summary>Scales <paramref name="v"/> to unit Euclidean norm: v / ‖v‖₂ (a zero vector stays zero).</summary>
    public static void L2Normalize(Span<float> v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0f && float.IsFinite(norm)) TensorPrimitives.Divide(v, norm, v);
    }
}
