using MlNetIso.Trainers.Kernels;
using MlNetIso.Trainers.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// Inverted dropout (Srivastava et al., JMLR 2014): in training mode <c>y = x ⊙ m</c> with
/// <c>m_i = 1/(1 − p)</c> with probability 1 − p and 0 otherwise; in evaluation mode, or with p = 0, <c>y = x</c>. The
/// gradient is <c>∂L/∂x = ∂L/∂y ⊙ m</c> (autograd records the product with the constant mask).
/// </summary>
/// <remarks>
/// On the CPU in float32 the mask comes from <see cref="DropoutMask"/> driven by the encoder's <see cref="DropoutStream"/>
/// (reproducible for a seed, and about 20 times cheaper than libtorch's Bernoulli draws here); on another device or
/// dtype it falls back to libtorch's <c>dropout</c> and its global generator.
/// </remarks>
internal sealed class SeededDropout : nn.Module
{
    private readonly double probability;
    private readonly DropoutStream stream;

    /// <summary>Dropout with drop probability <paramref name="p"/> ∈ [0, 1], drawing its masks from <paramref name="stream"/>.</summary>
    public SeededDropout(double p, DropoutStream stream) : base("dropout")
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must lie in [0, 1].");
        probability = p;
        this.stream = stream;
    }

    /// <summary>Applies dropout to <paramref name="input"/>; the caller disposes the result (a new handle even when nothing is dropped).</summary>
    public Tensor Forward(Tensor input)
    {
        if (!training || probability == 0) return input.alias();
        if (probability == 1)
        {
            using var zero = 0f.ToScalar();
            return input.mul(zero);
        }
        if (!TensorMemory.IsCpuFloat32(input)) return nn.functional.dropout(input, probability, training: true);
        using var mask = empty(input.shape, ScalarType.Float32);
        DropoutMask.Fill(TensorMemory.Floats(mask), stream.NextKey(), probability);
        return input.mul(mask);
    }
}
