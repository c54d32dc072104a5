using MlNetIso.Onnx.Bert;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using static TorchSharp.torch;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>
/// The fine-tune step both I-STAR step benchmarks time (and <c>benchmarks/python/istar_step_reference.py</c> rebuilds
/// in PyTorch): a BERT 2 × 128 encoder (4 heads, FFN 512, vocabulary 8,000) with a mean-pooled linear head over 2
/// classes, one batch of 32 × 32 random token ids whose rows 0–15 are padded after 20 tokens, and random labels.
/// </summary>
internal sealed class FineTuneStepFixture : IDisposable
{
    /// <summary>The encoder's shape.</summary>
    public static BertConfig Config => new()
    {
        VocabSize = 8000, HiddenSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 512, MaxPositionEmbeddings = 512,
    };

    /// <summary>The batch shape, for reports.</summary>
    public const string Shape = "BERT 2×128, batch 32 × 32 tokens";

    private readonly Generator generator;

    public FineTuneStepFixture(IStarLayers layers, int seed = 2)
    {
        generator = new Generator((ulong)seed);
        Network = new FineTuneNetwork(new BertEncoder(Config), 2, layers, excludePadding: true, generator);
        var ids = randint(5, Config.VocabSize, [32, 32], dtype: ScalarType.Int64, generator: generator);
        var mask = ones([32, 32], dtype: ScalarType.Int64);
        mask[TensorIndex.Slice(0, 16), TensorIndex.Slice(20, 32)] = zeros([16, 12], dtype: ScalarType.Int64);
        Batch = new IStarBatch { TokenIds = ids, AttentionMask = mask };
        Target = randint(0, 2, [Batch.Size], dtype: ScalarType.Int64, generator: generator);
    }

    public FineTuneNetwork Network { get; }

    public IStarBatch Batch { get; }

    public Tensor Target { get; }

    public void Dispose()
    {
        Network.Dispose();
        Batch.Dispose();
        Target.Dispose();
        generator.Dispose();
    }
}
