namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Short-text classification from frozen embeddings (<see cref="LinearProbe"/>) with TempScale's τ chosen on the
/// training split only: 5-fold cross-validation on the training split picks τ* among the τ &lt; 1, then τ = 1 and τ*
/// are trained on the whole training split and compared on the test split (paired bootstrap over test examples).
/// Splits: the dataset's own (TREC) or, when it has none, a fixed stratified 80/20 split (every fifth text of each
/// class is a test text). CV folds: the position of a training text within its class, modulo 5.
/// </summary>
internal static class ShortTextClassification
{
    /// <summary>Results for one dataset and encoder.</summary>
    internal sealed record Result(
        string Dataset,
        int TrainCount,
        IReadOnlyList<float> Temperatures,
        double[] CrossValidatedAccuracy,
        double[] TestAccuracy,
        float Choice,
        PairedAccuracy Test);

    /// <summary>Runs the protocol.</summary>
    public static Result Run(LabelledTexts data, IReadOnlyList<float> temperatures, Func<float, EmbeddingMatrix> embeddingsAt,
        int replicates, int seed)
    {
        var n = data.Labels.Length;
        var positionInClass = new int[n];
        var seen = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            positionInClass[i] = seen.GetValueOrDefault(data.Labels[i]);
            seen[data.Labels[i]] = positionInClass[i] + 1;
        }
        var isTest = data.IsTest ?? positionInClass.Select(p => p % 5 == 4).ToArray();
        var train = Enumerable.Range(0, n).Where(i => !isTest[i]).ToArray();
        var test = Enumerable.Range(0, n).Where(i => isTest[i]).ToArray();
        var trainPosition = new int[n];
        seen.Clear();
        foreach (var i in train)
        {
            trainPosition[i] = seen.GetValueOrDefault(data.Labels[i]);
            seen[data.Labels[i]] = trainPosition[i] + 1;
        }
        var classes = data.ClassNames.Length;
        var rows = temperatures.ToDictionary(t => t, t => embeddingsAt(t).Rows());
        int[] Predict(float t, int[] fit, int[] score) =>
            LinearProbe.TrainAndPredict(fit.Select(i => rows[t][i]).ToList(), fit.Select(i => data.Labels[i]).ToList(),
                score.Select(i => rows[t][i]).ToList(), classes);

        double CrossValidated(float t)
        {
            var correct = 0;
            for (var fold = 0; fold < 5; fold++)
            {
                var held = train.Where(i => trainPosition[i] % 5 == fold).ToArray();
                var fit = train.Where(i => trainPosition[i] % 5 != fold).ToArray();
                var predicted = Predict(t, fit, held);
                correct += held.Where((i, k) => predicted[k] == data.Labels[i]).Count();
            }
            return (double)correct / train.Length;
        }

        var cv = temperatures.Select(CrossValidated).ToArray();
        var choice = TemperatureChoice.Best(temperatures, t => cv[IndexOf(temperatures, t)]);
        var predictions = temperatures.ToDictionary(t => t, t => Predict(t, train, test));
        double Accuracy(int[] p) => test.Select((i, k) => p[k] == data.Labels[i] ? 1.0 : 0.0).Average();
        var paired = PairedAccuracy.Compare(test.Select((i, k) => predictions[1f][k] == data.Labels[i]).ToArray(),
            test.Select((i, k) => predictions[choice][k] == data.Labels[i]).ToArray(), replicates, seed);
        return new Result(data.Texts.Name, train.Length, temperatures, cv, temperatures.Select(t => Accuracy(predictions[t])).ToArray(), choice, paired);
    }

    private static int IndexOf(IReadOnlyList<float> list, float value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        throw new ArgumentException($"τ = {value} is not in the list.");
    }
}
