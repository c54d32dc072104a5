using MlNetIso.Onnx.Bert;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// Multi-head scaled dot-product self-attention with a softmax temperature τ (TempScale):
/// A = softmax((Q Kᵀ / √d_head + M) / τ), output = A V, heads concatenated. M is the additive key mask
/// (0 for real tokens, float.MinValue for padding keys, so padded keys get zero weight for every τ).
/// τ = 1 is standard BERT attention. In evaluation mode the product runs as libtorch's fused
/// <c>scaled_dot_product_attention</c> on Q/τ; in training mode as explicit products, so that the attention
/// probabilities can go through the encoder's seeded dropout.
/// Linear layers are named <c>query</c>, <c>key</c>, <c>value</c> as in Hugging Face.
/// </summary>
internal sealed class BertSelfAttention : nn.Module
{
    [ComponentName(Name = "query")] private readonly Linear _query;
    [ComponentName(Name = "key")] private readonly Linear _key;
    [ComponentName(Name = "value")] private readonly Linear _value;
    [ComponentName(Name = "dropout")] private readonly SeededDropout _dropout;
    private readonly int _heads;
    private readonly int _headSize;

    public BertSelfAttention(BertConfig config, DropoutStream dropout) : base("self")
    {
        _heads = config.NumAttentionHeads;
        _headSize = config.HeadSize;
        _query = nn.Linear(config.HiddenSize, config.HiddenSize);
        _key = nn.Linear(config.HiddenSize, config.HiddenSize);
        _value = nn.Linear(config.HiddenSize, config.HiddenSize);
        _dropout = new SeededDropout(config.AttentionProbsDropoutProb, dropout);
        RegisterComponents();
    }

    /// <summary>Attends over <paramref name="hidden"/> [B, L, d] with the additive mask [B, 1, 1, L].</summary>
    public Tensor Forward(Tensor hidden, Tensor additiveMask, double temperature)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], length = hidden.shape[1];
        var q = SplitHeads(GemmLinear.Forward(_query, hidden), batch, length);
        var k = SplitHeads(GemmLinear.Forward(_key, hidden), batch, length);
        var v = SplitHeads(GemmLinear.Forward(_value, hidden), batch, length);
        // (QKᵀ/√d + M)/τ is computed as QKᵀ/(√d·τ) + M: identical for M ∈ {0, very negative}, and it cannot
        // overflow to −∞ when τ < 1.
        Tensor attended;
        if (!training)
        {
            // Inference: libtorch's fused attention (softmax(Q'Kᵀ/√d + M)V in one kernel, no score matrix kept), with
            // Q' = Q/τ. In training the attention probabilities go through dropout, which the fused kernel would draw
            // itself (and run unfused), so training keeps the explicit product below.
            using var inverse = (1 / temperature).ToScalar();
            using var scaledQuery = temperature == 1 ? q.alias() : q.mul(inverse);
            attended = nn.functional.scaled_dot_product_attention(scaledQuery, k, v, additiveMask, 0.0, false);
        }
        else
        {
            // An explicit, kept-alive Scalar: an implicit number→Scalar temporary can be finalised while libtorch still reads it.
            using var divisor = (Math.Sqrt(_headSize) * temperature).ToScalar();
            var scores = matmul(q, k.transpose(-1, -2)).div_(divisor).add_(additiveMask);
            var probs = _dropout.Forward(nn.functional.softmax(scores, -1));
            attended = matmul(probs, v);
        }
        var context = attended.permute(0, 2, 1, 3).reshape(batch, length, _heads * _headSize);
        return context.MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x, long batch, long length)
        => x.view(batch, length, _heads, _headSize).permute(0, 2, 1, 3);
}
