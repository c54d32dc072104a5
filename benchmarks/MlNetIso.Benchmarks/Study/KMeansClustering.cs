using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Topic clustering from frozen embeddings with ML.NET's <c>KMeansTrainer</c> (k = number of classes, k-means++
/// initialisation, one thread, <c>MLContext(seed)</c> per seed) on the L2-normalised embeddings, scored by NMI against
/// the classes (<see cref="ClusteringAgreement"/>). TempScale's τ is chosen on a selection half of the texts only
/// (every other text of each class): τ* is the τ &lt; 1 with the best NMI averaged over the seeds; τ = 1 and τ* are then
/// compared on the other half, seed by seed, with a bootstrap interval over seeds for the mean NMI difference.
/// </summary>
internal static class KMeansClustering
{
    /// <summary>Results for one dataset and encoder.</summary>
    internal sealed record Result(
        string Dataset,
        int SelectionCount,
        int EvaluationCount,
        int[] Seeds,
        IReadOnlyList<float> Temperatures,
        double[] SelectionNmi,
        double[] EvaluationNmi,
        float Choice,
        BootstrapInterval NmiAtOne,
        BootstrapInterval NmiAtChoice,
        BootstrapInterval Difference);

    /// <summary>Runs the protocol.</summary>
    public static Result Run(LabelledTexts data, IReadOnlyList<float> temperatures, Func<float, EmbeddingMatrix> embeddingsAt,
        int[] seeds, int replicates, int bootstrapSeed)
    {
        var n = data.Labels.Length;
        var position = new int[n];
        var seen = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            position[i] = seen.GetValueOrDefault(data.Labels[i]);
            seen[data.Labels[i]] = position[i] + 1;
        }
        var selection = Enumerable.Range(0, n).Where(i => position[i] % 2 == 0).ToArray();
        var evaluation = Enumerable.Range(0, n).Where(i => position[i] % 2 == 1).ToArray();
        var k = data.ClassNames.Length;
        var embeddings = temperatures.ToDictionary(t => t, embeddingsAt);
        var nmi = new Dictionary<(float, bool, int), double>();
        foreach (var t in temperatures)
        foreach (var (members, isSelection) in new[] { (selection, true), (evaluation, false) })
        foreach (var seed in seeds)
            nmi[(t, isSelection, seed)] = ClusteringAgreement.Measure(members.Select(i => data.Labels[i]).ToArray(),
                Cluster(embeddings[t], members, k, seed)).NormalizedMutualInformation;

        double Mean(float t, bool isSelection) => seeds.Average(s => nmi[(t, isSelection, s)]);
        var choice = TemperatureChoice.Best(temperatures, t => Mean(t, true));
        var atOne = seeds.Select(s => nmi[(1f, false, s)]).ToArray();
        var atChoice = seeds.Select(s => nmi[(choice, false, s)]).ToArray();
        var intervals = Bootstrap.Intervals([Enumerable.Range(0, seeds.Length).ToArray()], seeds.Length, replicates, bootstrapSeed, w =>
        {
            var one = Bootstrap.WeightedMean(atOne, w);
            var chosen = Bootstrap.WeightedMean(atChoice, w);
            return [one, chosen, chosen - one];
        });
        return new Result(data.Texts.Name, selection.Length, evaluation.Length, seeds, temperatures,
            temperatures.Select(t => Mean(t, true)).ToArray(), temperatures.Select(t => Mean(t, false)).ToArray(),
            choice, intervals[0], intervals[1], intervals[2]);
    }

    /// <summary>The cluster (0 … k − 1) of every member, from ML.NET k-means with the given seed.</summary>
    public static int[] Cluster(EmbeddingMatrix embeddings, int[] members, int k, int seed)
    {
        var ml = new MLContext(seed: seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, embeddings.Dimension);
        var unit = PairwiseCosine.Normalised(embeddings.Data, embeddings.Dimension);
        var data = ml.Data.LoadFromEnumerable(
            members.Select(i => new Row { Features = unit.AsSpan(i * embeddings.Dimension, embeddings.Dimension).ToArray() }).ToList(), schema);
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(Row.Features),
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data);
        return ml.Data.CreateEnumerable<Prediction>(model.Transform(data), reuseRowObject: false)
            .Select(p => (int)p.PredictedLabel - 1).ToArray();
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public uint PredictedLabel { get; set; }
    }
}
