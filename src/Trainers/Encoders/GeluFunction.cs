using MlNetIso.Trainers.Kernels;
using MlNetIso.Trainers.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// The exact (erf) GELU <c>y = x·Φ(x)</c> with its derivative <c>∂L/∂x = ∂L/∂y · (Φ(x) + x·φ(x))</c>, computed by
/// <see cref="Gelu"/> as a custom autograd function. The encoder's feed-forward block calls <see cref="Forward"/>.
/// </summary>
/// <remarks>
/// Used where <see cref="CpuKernels.Apply"/> says so (float32 in CPU memory, AVX-512, one libtorch thread), like
/// <see cref="GemmLinear"/>; anywhere else it is libtorch's <c>gelu</c>. It matches libtorch's exact GELU to about one
/// float32 ulp of Φ (tested).
/// </remarks>
internal sealed class GeluFunction : autograd.SingleTensorFunction<GeluFunction>
{
    /// <inheritdoc />
    public override string Name => "MlNetIsoGelu";

    /// <summary>GELU(<paramref name="x"/>), differentiable.</summary>
    public static Tensor Forward(Tensor x) => Applies(x) ? apply(x) : nn.functional.gelu(x);

    /// <summary>Whether <see cref="Forward"/> computes with <see cref="Gelu"/> for this operand.</summary>
    internal static bool Applies(Tensor x) => CpuKernels.Apply(x);

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous();
        ctx.save_for_backward([x]);
        var y = empty(x.shape, ScalarType.Float32);
        Gelu.Forward(TensorMemory.Floats(x), TensorMemory.Floats(y));
        return y;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        using var dy = grad_output.contiguous();
        var dx = empty(x.shape, ScalarType.Float32);
        Gelu.Backward(TensorMemory.Floats(x), TensorMemory.Floats(dy), TensorMemory.Floats(dx));
        return [dx];
    }
}
