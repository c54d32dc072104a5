using MlNetIso.Trainers.Kernels;
using MlNetIso.Trainers.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// A linear layer's product <c>y = x·Wᵀ + b</c> (x [..., K], W [N, K], b [N]) computed by <see cref="SingleGemm"/>
/// as a custom autograd function, with the backward products <c>∂L/∂x = ∂L/∂y · W</c>, <c>∂L/∂W = (∂L/∂y)ᵀ · x</c> and
/// <c>∂L/∂b = Σ_rows ∂L/∂y</c>. The encoder's linear layers call <see cref="Forward"/>; the parameters stay in the
/// <see cref="Linear"/> modules (same names, same initialisation, same checkpoints).
/// </summary>
/// <remarks>
/// <para>Used where <see cref="CpuKernels.Apply"/> says so (float32 in CPU memory, large enough, AVX-512, one libtorch
/// thread); anywhere else the call is <c>Linear.forward</c>, libtorch's own product. Why: libtorch's MKL SGEMM runs its
/// AVX2 path on AMD CPUs, about 100 GFLOP/s a core here against 200–230 for this kernel, and the fine-tuning step went
/// from about 40 to 26–30 ms (docs/benchmarks.md, "I-STAR against PyTorch").</para>
/// </remarks>
internal sealed class GemmLinear : autograd.SingleTensorFunction<GemmLinear>
{
    /// <inheritdoc />
    public override string Name => "MlNetIsoGemmLinear";

    /// <summary><c>x·Wᵀ + b</c> with <paramref name="linear"/>'s parameters, differentiable with respect to x, W and b.</summary>
    public static Tensor Forward(Linear linear, Tensor x) => Applies(linear, x) ? apply(x, linear.weight!, linear.bias!) : linear.forward(x);

    /// <summary>Whether <see cref="Forward"/> computes with <see cref="SingleGemm"/> (rather than <c>Linear.forward</c>) for these operands.</summary>
    internal static bool Applies(Linear linear, Tensor x)
    {
        var weight = linear.weight!;
        long n = weight.shape[0], k = weight.shape[^1];
        // The output [..., n] must fit one span of bytes too.
        return CpuKernels.Apply(x) && linear.bias is not null && weight.dim() == 2 && x.dim() >= 1 && x.shape[^1] == k
            && TensorMemory.IsCpuFloat32(weight) && weight.is_contiguous() && x.numel() / Math.Max(k, 1) * n <= int.MaxValue / sizeof(float);
    }

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous();
        var weight = (Tensor)vars[1];
        var bias = (Tensor)vars[2];
        ctx.save_for_backward([x, weight]);
        long n = weight.shape[0], k = weight.shape[1];
        long m = x.numel() / k;
        var shape = x.shape.ToArray();
        shape[^1] = n;
        var y = empty(shape, ScalarType.Float32);
        var output = TensorMemory.Floats(y);
        var b = TensorMemory.Floats(bias);
        for (long i = 0; i < m; i++) b.CopyTo(output.Slice((int)(i * n), (int)n));
        unsafe
        {
            fixed (float* px = TensorMemory.Floats(x), pw = TensorMemory.Floats(weight), py = output)
                SingleGemm.Multiply((int)m, (int)n, (int)k, px, (nint)k, 1, pw, 1, (nint)k, py, (nint)n, accumulate: true);
        }
        return y;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var x = saved[0];
        var weight = saved[1];
        long n = weight.shape[0], k = weight.shape[1];
        long m = x.numel() / k;
        using var gy = grad_output.contiguous();
        var gx = empty(x.shape, ScalarType.Float32);
        var gw = empty(weight.shape, ScalarType.Float32);
        unsafe
        {
            fixed (float* pgy = TensorMemory.Floats(gy), px = TensorMemory.Floats(x), pw = TensorMemory.Floats(weight),
                   pgx = TensorMemory.Floats(gx), pgw = TensorMemory.Floats(gw))
            {
                // ∂L/∂x [m, k] = ∂L/∂y [m, n] · W [n, k]
                SingleGemm.Multiply((int)m, (int)k, (int)n, pgy, (nint)n, 1, pw, (nint)k, 1, pgx, (nint)k, accumulate: false);
                // ∂L/∂W [n, k] = (∂L/∂y)ᵀ [n, m] · x [m, k]
                SingleGemm.Multiply((int)n, (int)k, (int)m, pgy, 1, (nint)n, px, (nint)k, 1, pgw, (nint)k, accumulate: false);
            }
        }
        using var rows = gy.reshape(m, n);
        var gb = rows.sum([0L]);
        return [gx, gw, gb];
    }
}
