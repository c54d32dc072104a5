using Microsoft.ML;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// The network outputs for the current row of a cursor (the K logits and their softmax), computed once per row
/// position however many output columns read them.
/// </summary>
internal sealed class IStarRowScores
{
    private readonly IStarTransformer model;
    private readonly DataViewRow input;
    private readonly Func<Device, IStarBatch> batcher;
    private long cachedPosition = -1;

    /// <summary>Scores <paramref name="input"/>'s rows with <paramref name="model"/>.</summary>
    public IStarRowScores(IStarTransformer model, DataViewRow input)
    {
        this.model = model;
        this.input = input;
        batcher = model.Input.CreateRowBatcher(input);
        Logits = new float[model.Labels.Count];
        Probabilities = new float[model.Labels.Count];
    }

    /// <summary>The K logits of the current row (valid after <see cref="Update"/>).</summary>
    public float[] Logits { get; }

    /// <summary>softmax(logits) of the current row (valid after <see cref="Update"/>).</summary>
    public float[] Probabilities { get; }

    /// <summary>Runs the network on the current row unless it already ran on this position.</summary>
    public void Update()
    {
        if (cachedPosition == input.Position) return;
        using var batch = batcher(model.Device);
        model.Predict(batch, Logits, Probabilities);
        cachedPosition = input.Position;
    }
}
