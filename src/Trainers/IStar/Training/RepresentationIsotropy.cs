using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// Computes <see cref="IStarRepresentationIsotropy"/>: one streamed pass for the covariance C of all points
/// (IsoScore = IsoScore*(ζ = 0)), a second pass for the mean mini-batch IsoScore* with C0 = C.
/// </summary>
internal static class RepresentationIsotropy
{
    /// <summary>Measures the representation of <paramref name="network"/> on <paramref name="data"/>.</summary>
    public static IStarRepresentationIsotropy Measure(ClassifierNetwork network, TrainingExamples data, int batchSize, double zeta, int maxPoints, Device device)
    {
        network.eval();
        var rows = Enumerable.Range(0, data.Count).ToArray();
        var bank = new ReferenceCovarianceBank(network.RepresentationSize, maxPoints);
        double batchSum = 0;
        int batches = 0;
        using (no_grad())
        {
            for (int start = 0; start < rows.Length && !bank.IsFull; start += batchSize)
            {
                using var scope = NewDisposeScope();
                using var batch = data.MakeBatch(rows.AsSpan(start, Math.Min(batchSize, rows.Length - start)), device);
                bank.Add(network.Forward(batch).Points);
            }
            using var c = bank.Covariance();
            double iso = IsoScoreStarLoss.OfCovariance(c, c, 0).ToDouble();
            using var c32 = c.to(ScalarType.Float32, device);
            long seen = 0;
            for (int start = 0; start < rows.Length && seen < bank.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                using var batch = data.MakeBatch(rows.AsSpan(start, Math.Min(batchSize, rows.Length - start)), device);
                var points = network.Forward(batch).Points;
                seen += points.shape[0];
                if (points.shape[0] < 2) continue;
                batchSum += IsoScoreStarLoss.IsoScoreStar(points, c32, zeta).ToDouble();
                batches++;
            }
            return new IStarRepresentationIsotropy(bank.Count, network.RepresentationSize, iso, batches == 0 ? double.NaN : batchSum / batches);
        }
    }
}
