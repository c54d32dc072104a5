using MlNetIso.Onnx.Bert;


namespace MlNetIso.Transforms.Tests.Onnx.Bert;

/// <summary>Random tiny BERT configurations, weights and padded batches for the writer and TempScale tests.</summary>
internal static class TinyBert
{
    public static BertConfig Config(int hidden = 16, int heads = 2, int layers = 2, int intermediate = 32, int vocab = 50) =>
        new()
        {
            VocabSize = vocab, HiddenSize = hidden, NumAttentionHeads = heads, NumHiddenLayers = layers,
            IntermediateSize = intermediate, MaxPositionEmbeddings = 24, TypeVocabSize = 2, LayerNormEps = 1e-12,
        };

    /// <summary>Weights with Hugging Face names; LayerNorm gains near 1, other values uniform in ±scale.</summary>
    public static Dictionary<string, NamedTensor> Weights(BertConfig config, int seed, float scale = 0.5f)
    {
        var rng = new Random(seed);
        var result = new Dictionary<string, NamedTensor>();
        foreach (var (name, shape) in MlNetIso.Onnx.Bert.BertWeights.Expected(config))
        {
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            var data = new float[count];
            var isGain = name.EndsWith("LayerNorm.weight", StringComparison.Ordinal);
            for (var i = 0; i < count; i++)
                data[i] = (isGain ? 1f : 0f) + scale * (float)(2 * rng.NextDouble() - 1) * (isGain ? 0.3f : 1f);
            result[name] = new NamedTensor(shape, data);
        }
        return result;
    }

    /// <summary>A padded batch: row b has lengths[b] real tokens, then padding (id 0, mask 0).</summary>
    public static Batch PaddedBatch(BertConfig config, int[] lengths, int seed)
    {
        var rng = new Random(seed);
        int b = lengths.Length, s = lengths.Max();
        var ids = new long[b * s];
        var mask = new long[b * s];
        var types = new long[b * s];
        for (var r = 0; r < b; r++)
        for (var t = 0; t < lengths[r]; t++)
        {
            ids[r * s + t] = rng.Next(1, config.VocabSize);
            mask[r * s + t] = 1;
            types[r * s + t] = t >= lengths[r] / 2 ? 1 : 0;
        }
        return new Batch(b, s, ids, mask, types);
    }

    internal sealed record Batch(int Size, int Length, long[] Ids, long[] Mask, long[] Types)
    {
        public bool IsReal(int row, int position) => Mask[row * Length + position] != 0;
    }
}
