using MlNetIso.Trainers.IStar.Inputs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Model;

/// <summary>
/// Head-only I-STAR network: <c>h = tanh(W₁x + b₁)</c>, <c>logits = W₂h + b₂</c>. The hidden activations h
/// (one point per row) are the representation I-STAR regularises.
/// </summary>
internal sealed class HeadOnlyNetwork : ClassifierNetwork
{
    private readonly Linear hidden;
    private readonly Linear output;

    /// <summary>Builds the head for <paramref name="inputSize"/> features, <paramref name="hiddenSize"/> hidden units and <paramref name="classCount"/> classes.</summary>
    /// <remarks>Weights and biases are drawn from U(−1/√fan_in, 1/√fan_in) (PyTorch's Linear default) with
    /// <paramref name="generator"/>, so the same seed gives the same initial network regardless of other threads.</remarks>
    public HeadOnlyNetwork(int inputSize, int hiddenSize, int classCount, Generator generator) : base(nameof(HeadOnlyNetwork))
    {
        InputSize = inputSize;
        RepresentationSize = hiddenSize;
        ClassCount = classCount;
        hidden = nn.Linear(inputSize, hiddenSize);
        output = nn.Linear(hiddenSize, classCount);
        RegisterComponents();
        LinearInit.Reset(hidden, generator);
        LinearInit.Reset(output, generator);
    }

    /// <summary>Feature dimension d.</summary>
    public int InputSize { get; }

    /// <inheritdoc />
    public override int RepresentationSize { get; }

    /// <inheritdoc />
    public override int ClassCount { get; }

    /// <inheritdoc />
    public override (Tensor Logits, Tensor Points) Forward(IStarBatch batch)
    {
        var x = batch.Features ?? throw new ArgumentException("Head-only batches carry features.", nameof(batch));
        var h = hidden.forward(x).tanh();
        return (output.forward(h), h);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hidden.Dispose();
            output.Dispose();
        }
        base.Dispose(disposing);
    }
}
