using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) with the exact update sequence of
/// TorchSharp's <c>optim.AdamW</c>, so every parameter that has a gradient gets bit-for-bit the same update (a parameter
/// without one is left alone, as with PyTorch's <c>zero_grad(set_to_none=True)</c>):
/// <c>θ ← θ(1 − ηλ)</c>; <c>m ← β₁m + (1 − β₁)g</c>; <c>v ← β₂v + (1 − β₂)g²</c>;
/// <c>θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)</c>.
/// </summary>
/// <remarks>
/// The difference is how the numbers reach libtorch. TorchSharp's optimiser passes each coefficient as an implicit
/// number→<c>Scalar</c> conversion, about seven per parameter per step. Those temporaries are left to the finaliser, and one
/// can be finalised while the native call still reads it. That is the likely cause of the sporadic "Unknown scalar type"
/// failures seen in long training runs (TorchSharp pull requests #1434 and #1496, both open). This class creates the
/// coefficients once per step as explicit Scalars and disposes them only after the last parameter's update.
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

    /// <summary>One AdamW update of every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var decay = (1 - learningRate * weightDecay).ToScalar();
        using var b1 = beta1.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var eps = epsilon.ToScalar();
        using var noGrad = no_grad();
        foreach (var moments in state)
        {
            var parameter = moments.Parameter;
            using var gradient = parameter.grad;
            if (gradient is null) continue;
            // Like TorchSharp, the step count (for the bias corrections) is kept per parameter and advances only when it has a gradient.
            moments.Steps++;
            double biasCorrection1 = 1 - Math.Pow(beta1, moments.Steps);
            double biasCorrection2 = 1 - Math.Pow(beta2, moments.Steps);
            using var rootCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-learningRate / biasCorrection1).ToScalar();
            parameter.mul_(decay);
            moments.Average.mul_(b1).add_(gradient, oneMinusB1);
            moments.SquareAverage.mul_(b2).addcmul_(gradient, gradient, oneMinusB2);
            using var denominator = moments.SquareAverage.sqrt();
            denominator.div_(rootCorrection2).add_(eps);
            parameter.addcdiv_(moments.Average, denominator, stepSize);
        }
    }

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
