using MlNetIso.Geometry;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Model;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>
/// What one pass of a trained model over the test set gives: accuracy, a fixed-seed reservoir sample of the regularised
/// points (for TwoNN), and — in fine-tune mode — the sentence embeddings the head reads (mean of the last layer's token
/// states over real tokens, recovered from the last layer's block of the points).
/// </summary>
internal sealed record IStarStudyMeasurement(double Accuracy, List<float[]> PointSample, List<float[]>? SentenceEmbeddings)
{
    /// <summary>
    /// Runs <paramref name="model"/>'s network once over <paramref name="test"/> (rows in order) and compares the arg-max
    /// with <paramref name="labels"/> (class index of each row, in the model's <see cref="IStarTransformer.ClassNames"/> order).
    /// </summary>
    public static IStarStudyMeasurement Take(IStarTransformer model, IDataView test, int[] labels, int sampleSize, int sampleSeed)
    {
        var network = model.Network;
        network.eval();
        var examples = model.Input.ReadExamples(test, "test set");
        if (examples.Count != labels.Length)
            throw new InvalidOperationException($"The test set has {examples.Count} rows but {labels.Length} labels.");
        int batchSize = 64;
        int d = network.RepresentationSize;
        bool fineTune = network is FineTuneNetwork;
        var sentences = fineTune ? new List<float[]>(labels.Length) : null;
        var reservoir = new List<float[]>(sampleSize);
        var random = new Random(sampleSeed);
        long seen = 0;
        long correct = 0;
        var rows = Enumerable.Range(0, examples.Count).ToArray();
        using (no_grad())
        {
            for (int start = 0; start < rows.Length; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int size = Math.Min(batchSize, rows.Length - start);
                using var batch = examples.MakeBatch(rows.AsSpan(start, size), model.Device);
                var (logits, points) = network.Forward(batch);
                var predicted = logits.argmax(1).cpu().data<long>().ToArray();
                for (int i = 0; i < size; i++)
                    if (predicted[i] == labels[start + i]) correct++;
                var flat = points.contiguous().cpu().data<float>().ToArray();
                int count = (int)points.shape[0];
                for (int p = 0; p < count; p++)
                {
                    // Reservoir sampling (Algorithm R): every point of the pass has the same chance to be kept.
                    seen++;
                    if (reservoir.Count < sampleSize) reservoir.Add(flat.AsSpan(p * d, d).ToArray());
                    else
                    {
                        long j = random.NextInt64(seen);
                        if (j < sampleSize) reservoir[(int)j] = flat.AsSpan(p * d, d).ToArray();
                    }
                }
                if (sentences is not null)
                {
                    // Padding is excluded (IStarOptions.ExcludePadding), so the last Σ(real tokens) points are the last
                    // layer's states, row by row in order: their per-row mean is the head's mean-pooled input.
                    var lengths = batch.AttentionMask!.sum(1).cpu().data<long>().ToArray();
                    long tokens = lengths.Sum();
                    if (tokens * (count / tokens) != count)
                        throw new InvalidOperationException("The study needs ExcludePadding = true to recover the sentence embeddings.");
                    long offset = count - tokens;
                    foreach (long length in lengths)
                    {
                        var mean = new float[d];
                        for (long t = 0; t < length; t++)
                        {
                            var row = flat.AsSpan((int)((offset + t) * d), d);
                            for (int k = 0; k < d; k++) mean[k] += row[k];
                        }
                        for (int k = 0; k < d; k++) mean[k] /= length;
                        sentences.Add(mean);
                        offset += length;
                    }
                }
            }
        }
        return new IStarStudyMeasurement((double)correct / labels.Length, reservoir, sentences);
    }

    /// <summary>TwoNN intrinsic dimension of the point sample (scikit-dimension's estimator, discard fraction 0.1).</summary>
    public double PointsTwoNN() => TwoNN.Estimate(PointSample);

    /// <summary>TwoNN of the sentence embeddings, NaN without them.</summary>
    public double SentenceTwoNN() => SentenceEmbeddings is null ? double.NaN : TwoNN.Estimate(SentenceEmbeddings);

    /// <summary>IsoScore of the sentence embeddings, NaN without them.</summary>
    public double SentenceIsoScore() => SentenceEmbeddings is null ? double.NaN : IsotropyScores.IsoScore(SentenceEmbeddings);
}
