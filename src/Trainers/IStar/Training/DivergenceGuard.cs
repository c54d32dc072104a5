using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// Stops I-STAR training at the step where it diverges: the task loss of every step, the weights after an AdamW
/// update (one reduction: the sum of every parameter's sum, which is finite exactly when no element is NaN or ±∞ and
/// the total does not overflow; the loop skips it when the fused update has vouched for the values it wrote), the reference points of every epoch and the trained model's scores are checked, and
/// the first non-finite one becomes an <see cref="IStarDivergenceException"/> that names the epoch, the step and the
/// options most likely at fault. A non-finite gradient always shows up in the weights (AdamW's moments carry it into
/// the update), and is then told apart from an overflowing update by looking at the gradients that are still attached.
/// </summary>
internal sealed class DivergenceGuard(IStarOptions options, IReadOnlyList<Parameter> parameters)
{
    /// <summary>The epoch being trained (1-based), kept up to date by the training loop.</summary>
    public int Epoch { get; set; }

    /// <summary>The step within <see cref="Epoch"/> (1-based; 0 before the first step).</summary>
    public int Step { get; set; }

    /// <summary>Steps per epoch, for messages.</summary>
    public int StepsPerEpoch { get; set; }

    /// <summary>Throws when the task loss of the current step is not finite.</summary>
    public void CheckLoss(double taskLoss)
    {
        if (double.IsFinite(taskLoss)) return;
        var first = Epoch == 1 && Step == 1;
        throw Diverged("loss", $"the cross-entropy loss is {Format(taskLoss)}",
            first
                ? "the weights are still the initial ones, so the input is the likely cause: features with huge (though finite) values " +
                  "overflow the network's float32 arithmetic; scale them down"
                : "the weights were finite after the previous step but so large that the forward pass overflowed",
            first ? [] : Suspects(updateOverflowed: true));
    }

    /// <summary>Throws when an AdamW update left a weight that is not finite.</summary>
    public void CheckWeights()
    {
        if (SumIsFinite(parameters)) return;
        var gradientsFinite = SumIsFinite(parameters.Select(p => p.grad).OfType<Tensor>().ToList());
        throw gradientsFinite
            ? Diverged("weights", "the AdamW update produced weights that are not finite although every gradient was finite",
                "the update step is too large", Suspects(updateOverflowed: true))
            : Diverged("gradient", "a gradient is not finite (NaN or ±∞), and the update carried it into the weights",
                options.Lambda != 0 ? "the regulariser's gradient is λ times that of IsoScore*, computed in float32" : "the loss surface is too steep for this step size",
                Suspects(updateOverflowed: false));
    }

    /// <summary>The error for non-finite representation points met while building C0 at the start of an epoch.</summary>
    public IStarDivergenceException ReferencePointsNotFinite(Exception inner) => Epoch <= 1
        ? Diverged("representation", $"the representation points of the initial weights are not finite ({inner.Message})",
            "the input is the likely cause: features with huge (though finite) values overflow the network's float32 arithmetic; scale them down",
            [], inner)
        : Diverged("representation", $"the representation points of the weights that epoch {Epoch - 1} left are not finite ({inner.Message})",
            "the weights are finite but so large that the forward pass overflows", Suspects(updateOverflowed: true), inner);

    /// <summary>Throws when the trained model's logits on a sample batch are not finite.</summary>
    public void CheckScores(Tensor logits)
    {
        if (SumIsFinite([logits])) return;
        throw Diverged("scores", "the trained model's scores on the training data are not finite",
            "the last updates made the weights so large that scoring overflows", Suspects(updateOverflowed: true));
    }

    private static bool SumIsFinite(IReadOnlyList<Tensor> tensors)
    {
        if (tensors.Count == 0) return true;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var sums = tensors.Select(t => t.sum(ScalarType.Float64)).ToArray();
        return double.IsFinite(stack(sums).sum().item<double>());
    }

    /// <summary>The options to look at first, most likely first, with their values and what they do.</summary>
    private List<string> Suspects(bool updateOverflowed)
    {
        var lr = $"LearningRate = {Format(options.LearningRate)} (AdamW moves each weight by up to about this much per step; 1e-5 to 1e-2 is usual)";
        var lambda = options.Lambda != 0
            ? $"Lambda = {Format(options.Lambda)} (it scales the IsoScore* regulariser and its gradient; |λ| of 0.1 to 5 is usual)"
            : null;
        var suspects = new List<string>();
        if (updateOverflowed)
        {
            suspects.Add(lr);
            if (lambda is not null) suspects.Add(lambda);
        }
        else
        {
            if (lambda is not null) suspects.Add(lambda);
            suspects.Add(lr);
        }
        if (options.LearningRate * options.WeightDecay >= 1)
            suspects.Add($"WeightDecay = {Format(options.WeightDecay)} (LearningRate × WeightDecay ≥ 1 flips and grows the weights every step)");
        return suspects;
    }

    private IStarDivergenceException Diverged(string quantity, string what, string cause, IReadOnlyList<string> suspects, Exception? inner = null)
    {
        var where = Step == 0
            ? $"epoch {Epoch}, before its first step"
            : $"epoch {Epoch}, step {Step} of {StepsPerEpoch}";
        var blame = suspects.Count == 0 ? "" : $" Options most likely at fault: {string.Join("; ", suspects)}.";
        var message = $"I-STAR training diverged at {where}: {what}; {cause}.{blame} Training stopped; no model was returned.";
        return new IStarDivergenceException(message, Epoch, Step, quantity, inner);
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
