using MlNetIso.Onnx.Bert;
using MlNetIso.Trainers.Encoders;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Encoders;

/// <summary>Small encoder shapes and random padded batches for fast tests.</summary>
internal static class TinyConfigs
{
    public static BertConfig Config(int hidden = 32, int layers = 2, int heads = 4, int vocab = 50, int intermediate = 64,
                                    int maxPositions = 24) => new()
    {
        VocabSize = vocab,
        HiddenSize = hidden,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        IntermediateSize = intermediate,
        MaxPositionEmbeddings = maxPositions,
        LayerNormEps = 1e-12,
    };

    /// <summary>An encoder with weights and biases N(0, 0.2²) (larger than BERT's 0.02 so layers do real work), LayerNorm scales 1, eval mode.</summary>
    public static BertEncoder Encoder(BertConfig config, int seed)
    {
        manual_seed(seed);
        var e = new BertEncoder(config);
        using (no_grad())
            foreach (var (name, p) in e.named_parameters())
                if (!name.EndsWith("LayerNorm.weight", StringComparison.Ordinal)) p.normal_(0.0, 0.2);
        e.eval();
        return e;
    }

    /// <summary>A batch whose rows have lengths <paramref name="lengths"/> (right padding with id 0, random token types).</summary>
    public static (long[] Ids, long[] Mask, long[] Types, long[] Shape) Batch(int vocab, int[] lengths, int seed, int typeVocab = 2)
    {
        var rng = new Random(seed);
        int length = lengths.Max();
        var ids = new long[lengths.Length * length];
        var mask = new long[ids.Length];
        var types = new long[ids.Length];
        for (int r = 0; r < lengths.Length; r++)
            for (int t = 0; t < lengths[r]; t++)
            {
                ids[r * length + t] = rng.Next(1, vocab);
                mask[r * length + t] = 1;
                types[r * length + t] = rng.Next(typeVocab);
            }
        return (ids, mask, types, [lengths.Length, length]);
    }

    public static float[] LastHidden(BertEncoder e, (long[] Ids, long[] Mask, long[] Types, long[] Shape) b, double temperature = 1.0)
    {
        using var noGrad = no_grad();
        using var ids = tensor(b.Ids, b.Shape);
        using var mask = tensor(b.Mask, b.Shape);
        using var types = tensor(b.Types, b.Shape);
        using var output = e.Forward(ids, mask, types, temperature);
        return output.LastHiddenState.contiguous().data<float>().ToArray();
    }
}
