namespace MlNetIso.Trainers.IStar;

/// <summary>
/// Thrown by I-STAR training when the optimisation diverges: the loss, a gradient or a weight stops being a finite
/// number. Training stops at the step where it happens, so no model with NaN or infinite weights is ever returned.
/// The message names the epoch, the step and the options most likely at fault (usually <see cref="IStarOptions.LearningRate"/>
/// or <see cref="IStarOptions.Lambda"/>) with their values.
/// </summary>
public sealed class IStarDivergenceException : InvalidOperationException
{
    /// <summary>Creates the exception for a divergence detected in <paramref name="epoch"/> at <paramref name="step"/>.</summary>
    internal IStarDivergenceException(string message, int epoch, int step, string quantity, Exception? innerException = null)
        : base(message, innerException)
    {
        Epoch = epoch;
        Step = step;
        Quantity = quantity;
    }

    /// <summary>The epoch (1-based) in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>
    /// The optimisation step within <see cref="Epoch"/> (1-based); 0 when it was detected before the epoch's first step,
    /// while the reference covariance C0 was built from the weights the previous epoch left.
    /// </summary>
    public int Step { get; }

    /// <summary>What stopped being finite: "loss", "gradient", "weights", "representation" or "scores".</summary>
    public string Quantity { get; }
}
