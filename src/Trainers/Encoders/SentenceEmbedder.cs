using Microsoft.ML.Tokenizers;
using MlNetIso.Transforms.Embedding;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// Inference helper: texts → pooled sentence vectors with a <see cref="BertEncoder"/> in eval mode, batch by batch,
/// without gradients. Vector i is <see cref="EncoderPooling.Pool"/> of the last hidden state of text i.
/// </summary>
internal static class SentenceEmbedder
{
    /// <summary>Embeds <paramref name="texts"/> into one float vector each.</summary>
    public static float[][] Embed(BertEncoder encoder, BertTokenizer tokenizer, IReadOnlyList<string> texts,
                                  EmbeddingPooling pooling = EmbeddingPooling.Mean, bool normalize = false,
                                  int maxLength = 128, int batchSize = 64, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(texts);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        bool wasTraining = encoder.training;
        encoder.eval();
        try
        {
            using var noGrad = no_grad();
            var result = new float[texts.Count][];
            for (int start = 0; start < texts.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var chunk = texts.Skip(start).Take(batchSize).ToList();
                var batch = BertInputBatch.Create(tokenizer, chunk, maxLength);
                var (ids, mask, types) = batch.ToTensors();
                using var output = encoder.Forward(ids, mask, types, temperature);
                var pooled = EncoderPooling.Pool(output.LastHiddenState, mask, pooling, normalize).contiguous();
                var flat = pooled.data<float>().ToArray();
                int dim = (int)pooled.shape[1];
                for (int i = 0; i < chunk.Count; i++)
                    result[start + i] = flat.AsSpan(i * dim, dim).ToArray();
            }
            return result;
        }
        finally
        {
            encoder.train(wasTraining);
        }
    }
}
