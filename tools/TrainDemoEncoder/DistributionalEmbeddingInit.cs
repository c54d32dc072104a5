using Microsoft.ML.Tokenizers;
using MlNetIso.Trainers.Encoders;
using static TorchSharp.torch;

namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>
/// Initialises the word-embedding table from corpus statistics before masked-LM training (Levy, Goldberg &amp; Dagan
/// 2015, "Improving distributional similarity with lessons learned from word embeddings"): WordPiece co-occurrence
/// counts within ±<c>window</c> positions, weighted 1/distance; positive PMI with context-distribution smoothing
/// α = 0.75, PPMI(i, j) = max(0, log(n_ij · Σ_k c_k^α / (r_i · c_j^α))); a rank-d randomised SVD (Halko et al. 2011,
/// two power iterations) PPMI ≈ U S Vᵀ; vectors U·√S rescaled to the given standard deviation. Pieces that never occur
/// (special tokens, unused characters) keep their random initialisation. No labels are used.
/// </summary>
internal static class DistributionalEmbeddingInit
{
    public static int Apply(BertEncoder encoder, BertTokenizer tokenizer, IReadOnlyList<string> texts, int window,
                            double targetStd, int seed, int firstRegularId)
    {
        int v = encoder.Config.VocabSize, d = encoder.Config.HiddenSize;
        var counts = new float[(long)v * v];
        foreach (var text in texts)
        {
            var ids = tokenizer.EncodeToIds(text, 512, out _, out _);
            for (int a = 1; a < ids.Count - 1; a++)
            {
                if (ids[a] < firstRegularId) continue;
                for (int b = a + 1; b < Math.Min(ids.Count - 1, a + window + 1); b++)
                {
                    if (ids[b] < firstRegularId) continue;
                    float w = 1f / (b - a);
                    counts[(long)ids[a] * v + ids[b]] += w;
                    counts[(long)ids[b] * v + ids[a]] += w;
                }
            }
        }

        var rows = new double[v];
        var ctx = new double[v];
        for (int i = 0; i < v; i++)
            for (int j = 0; j < v; j++) rows[i] += counts[(long)i * v + j];
        double ctxTotal = 0;
        for (int j = 0; j < v; j++)
        {
            ctx[j] = Math.Pow(rows[j], 0.75); // symmetric counts: column sums equal row sums
            ctxTotal += ctx[j];
        }
        for (int i = 0; i < v; i++)
            for (int j = 0; j < v; j++)
            {
                long k = (long)i * v + j;
                if (counts[k] <= 0) continue;
                double pmi = Math.Log(counts[k] * ctxTotal / (rows[i] * ctx[j]));
                counts[k] = pmi > 0 ? (float)pmi : 0f;
            }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var m = tensor(counts, [v, v]);
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        int k2 = Math.Min(v, d + 16);
        var y = matmul(m, randn([v, k2], generator: generator));
        for (int it = 0; it < 2; it++)
        {
            var (qy, _) = linalg.qr(y);
            y = matmul(m, matmul(m.t(), qy));
        }
        var (q, _) = linalg.qr(y);
        var (ub, s, _) = linalg.svd(matmul(q.t(), m), fullMatrices: false);
        var vectors = matmul(q, ub).narrow(1, 0, d) * s.narrow(0, 0, d).sqrt().unsqueeze(0);

        var used = tensor(rows.Select(r => r > 0).ToArray());
        var usedVectors = vectors.index(used);
        var scaled = vectors * (targetStd / usedVectors.std().item<float>());
        var weight = encoder.WordEmbeddingWeight;
        var mixed = where(used.unsqueeze(1), scaled, weight.detach());
        weight.copy_(mixed);
        return rows.Count(r => r > 0);
    }
}
