using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Transforms.Embedding;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Model;

/// <summary>
/// Fine-tune I-STAR network: a BERT-family <see cref="BertEncoder"/>, mean pooling over real tokens, a linear head.
/// The regularised points are the token states of the chosen layers (all transformer layers — not the embedding
/// output — or the last one), one point per token, padding positions left out unless asked otherwise.
/// </summary>
internal sealed class FineTuneNetwork : ClassifierNetwork
{
    private readonly BertEncoder encoder;
    private readonly Linear head;
    private readonly IStarLayers layers;
    private readonly bool excludePadding;

    /// <summary>Wraps <paramref name="encoder"/> with a seeded linear head over <paramref name="classCount"/> classes.</summary>
    public FineTuneNetwork(BertEncoder encoder, int classCount, IStarLayers layers, bool excludePadding, Generator generator)
        : base(nameof(FineTuneNetwork))
    {
        this.encoder = encoder;
        this.layers = layers;
        this.excludePadding = excludePadding;
        ClassCount = classCount;
        head = nn.Linear(encoder.Config.HiddenSize, classCount);
        RegisterComponents();
        LinearInit.Reset(head, generator);
        // The dropout masks of training follow the same seed (drawn after the head, so the head's weights do not change).
        using var dropoutSeed = randint(0, long.MaxValue, [1], dtype: ScalarType.Int64, generator: generator);
        encoder.Dropout.Reseed((ulong)dropoutSeed.item<long>());
    }

    /// <summary>The encoder being fine-tuned.</summary>
    public BertEncoder Encoder => encoder;

    /// <inheritdoc />
    public override int RepresentationSize => encoder.Config.HiddenSize;

    /// <inheritdoc />
    public override int ClassCount { get; }

    /// <inheritdoc />
    public override (Tensor Logits, Tensor Points) Forward(IStarBatch batch)
    {
        var ids = batch.TokenIds ?? throw new ArgumentException("Fine-tune batches carry token ids.", nameof(batch));
        var mask = batch.AttentionMask!;
        var output = encoder.Forward(ids, mask);
        var states = output.HiddenStates;
        var logits = head.forward(EncoderPooling.Pool(states[^1], mask, EmbeddingPooling.Mean));
        var chosen = layers == IStarLayers.All ? states.Skip(1) : [states[^1]];
        long d = RepresentationSize;
        Tensor? keep = excludePadding ? mask.reshape(-1).nonzero().squeeze(1) : null;
        var points = chosen.Select(h =>
        {
            var flat = h.reshape(-1, d);
            return keep is null ? flat : flat.index_select(0, keep);
        }).ToArray();
        return (logits, points.Length == 1 ? points[0] : cat(points, 0));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoder.Dispose();
            head.Dispose();
        }
        base.Dispose(disposing);
    }
}
