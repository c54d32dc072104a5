using MlNetIso.Trainers.Kernels;
using MlNetIso.Trainers.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) with the update sequence of
/// TorchSharp's <c>optim.AdamW</c>, so every parameter that has a gradient gets the same update to float32 rounding (a
/// parameter without one is left alone, as with PyTorch's <c>zero_grad(set_to_none=True)</c>):
/// <c>θ ← θ(1 − ηλ)</c>; <c>m ← β₁m + (1 − β₁)g</c>; <c>v ← β₂v + (1 − β₂)g²</c>;
/// <c>θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)</c>.
/// </summary>
/// <remarks>
/// <para>Two differences from TorchSharp's optimiser. First, how the numbers reach libtorch: TorchSharp passes each
/// coefficient as an implicit number→<c>Scalar</c> conversion, about seven per parameter per step. Those temporaries are
/// left to the finaliser, and one can be finalised while the native call still reads it. That is the likely cause of
/// the sporadic "Unknown scalar type" failures seen in long training runs (TorchSharp pull requests #1434 and #1496,
/// both open). Here no Scalar reaches libtorch on the CPU path, and the fallback path creates them once per step as
/// explicit Scalars and disposes them only after the last parameter's update.</para>
/// <para>Second, on the CPU in float32 (contiguous tensors) each parameter's update is one fused pass over its memory
/// (<see cref="AdamWUpdate"/>, split across libtorch's intra-op thread count for long tensors) instead of six libtorch
/// kernels and a temporary: about a tenth of a fine-tuning step before (docs/benchmarks.md, "I-STAR against PyTorch").
/// Other devices and dtypes take libtorch's element-wise operations.</para>
/// </remarks>
internal sealed class ScalarSafeAdamW : IDisposable
{
    private readonly Moments[] state;
    private readonly double learningRate;
    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;
    private readonly double weightDecay;
    private bool disposed;

    /// <summary>AdamW over <paramref name="parameters"/> with TorchSharp's defaults β = (0.9, 0.999), ε = 1e-8.</summary>
    public ScalarSafeAdamW(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be ≥ 0.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be ≥ 0.");
        if (beta1 is < 0 or >= 1 || double.IsNaN(beta1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must lie in [0, 1).");
        if (beta2 is < 0 or >= 1 || double.IsNaN(beta2)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must lie in [0, 1).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be ≥ 0.");
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        state = parameters.Select(p => new Moments(p)).ToArray();
    }

    /// <summary>
    /// Clears every parameter's gradient by dropping it (PyTorch's <c>zero_grad(set_to_none=True)</c>), so the next
    /// backward pass writes fresh gradients instead of adding them to zeros: the same values, one pass less.
    /// </summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var moments in state) moments.Parameter.grad = null;
    }

    /// <summary>
    /// Whether the last <see cref="Step"/> updated every parameter that had a gradient with the fused CPU update and every
    /// value it wrote is finite (false when any parameter took libtorch's operations, or a value is NaN or ±∞).
    /// </summary>
    public bool LastStepFinite { get; private set; }

    /// <summary>One AdamW update of every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        bool verified = true;
        using var decay = (1 - learningRate * weightDecay).ToScalar();
        using var b1 = beta1.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var eps = epsilon.ToScalar();
        using var noGrad = no_grad();
        int threads = torch.get_num_threads();
        foreach (var moments in state)
        {
            var parameter = moments.Parameter;
            using var gradient = parameter.grad;
            if (gradient is null) continue;
            // Like TorchSharp, the step count (for the bias corrections) is kept per parameter and advances only when it has a gradient.
            moments.Steps++;
            double biasCorrection1 = 1 - Math.Pow(beta1, moments.Steps);
            double biasCorrection2 = 1 - Math.Pow(beta2, moments.Steps);
            if (Fusable(parameter, gradient, moments))
            {
                var coefficients = new AdamWUpdate.Coefficients((float)(1 - learningRate * weightDecay), (float)beta1, (float)(1 - beta1),
                    (float)beta2, (float)(1 - beta2), (float)Math.Sqrt(biasCorrection2), (float)epsilon, (float)(-learningRate / biasCorrection1));
                verified &= AdamWUpdate.Apply(TensorMemory.Floats(parameter), TensorMemory.Floats(gradient),
                    TensorMemory.Floats(moments.Average), TensorMemory.Floats(moments.SquareAverage), coefficients, threads);
                continue;
            }
            verified = false;
            using var rootCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-learningRate / biasCorrection1).ToScalar();
            parameter.mul_(decay);
            moments.Average.mul_(b1).add_(gradient, oneMinusB1);
            moments.SquareAverage.mul_(b2).addcmul_(gradient, gradient, oneMinusB2);
            using var denominator = moments.SquareAverage.sqrt();
            denominator.div_(rootCorrection2).add_(eps);
            parameter.addcdiv_(moments.Average, denominator, stepSize);
        }
        LastStepFinite = verified;
    }

    /// <summary>
    /// Whether the update can run as one fused pass over the memory (<see cref="AdamWUpdate"/>): CPU float32 tensors,
    /// all contiguous. Otherwise (a GPU, another dtype) it runs as libtorch's element-wise operations.
    /// </summary>
    private static bool Fusable(Tensor parameter, Tensor gradient, Moments moments) =>
        TensorMemory.IsCpuFloat32(parameter) && TensorMemory.IsCpuFloat32(gradient)
        && parameter.is_contiguous() && gradient.is_contiguous() && moments.Average.is_contiguous() && moments.SquareAverage.is_contiguous();

    /// <summary>Frees the moment estimates.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var moments in state)
        {
            moments.Average.Dispose();
            moments.SquareAverage.Dispose();
        }
    }

    /// <summary>One parameter's first and second moment estimates and its step count.</summary>
    private sealed class Moments(Parameter parameter)
    {
        public Parameter Parameter { get; } = parameter;

        public Tensor Average { get; } = zeros_like(parameter).DetachFromDisposeScope();

        public Tensor SquareAverage { get; } = zeros_like(parameter).DetachFromDisposeScope();

        public long Steps { get; set; }
    }
}
