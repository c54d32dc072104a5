using MlNetIso.Benchmarks.Embedding;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Sentiment of the movie reviews from frozen embeddings (<see cref="LinearProbe"/>), TempScale's τ chosen on training
/// data only, in two protocols. (1) Held-out folds (as the original <c>collapse-study</c>): choose τ* among the τ &lt; 1
/// by accuracy when training on folds 0–5 and validating on 6–7, retrain τ = 1 and τ* on folds 0–7, test on folds 8–9.
/// (2) Nested 10-fold cross-validation over the dataset's folds: for each outer fold, τ* is chosen among the τ &lt; 1
/// by inner cross-validation over the nine training folds, then τ = 1 and τ* are trained on those nine folds and
/// predict the outer fold; every review is predicted once at τ = 1 and once at its fold's τ*. Ties go to the larger τ.
/// Accuracies and the paired difference τ* − 1 get percentile-bootstrap intervals over the test reviews.
/// </summary>
internal static class LongReviewSentiment
{
    /// <summary>Both protocols' results for one encoder and long-text mode.</summary>
    internal sealed record Result(
        IReadOnlyList<float> Temperatures,
        double[] ValidationAccuracy,
        float HeldOutChoice,
        PairedAccuracy HeldOut,
        double[] HeldOutTestAccuracy,
        float[] FoldChoices,
        PairedAccuracy CrossValidated,
        IReadOnlyList<(LengthBucket Bucket, PairedAccuracy Accuracy)> CrossValidatedByBucket);

    /// <summary>Runs both protocols.</summary>
    /// <param name="reviews">The reviews (folds 0–9).</param>
    /// <param name="temperatures">τ values, the first 1.</param>
    /// <param name="featuresAt">Embedding rows at τ.</param>
    /// <param name="buckets">Length buckets for the per-bucket accuracy.</param>
    /// <param name="replicates">Bootstrap resamples.</param>
    /// <param name="seed">Bootstrap seed.</param>
    public static Result Run(IReadOnlyList<MovieReview> reviews, IReadOnlyList<float> temperatures,
        Func<float, IReadOnlyList<float[]>> featuresAt, IReadOnlyList<LengthBucket> buckets, int replicates, int seed)
    {
        var labels = reviews.Select(r => r.Positive ? 1 : 0).ToArray();
        var features = temperatures.ToDictionary(t => t, featuresAt);
        int[] Where(Func<MovieReview, bool> take) => Enumerable.Range(0, reviews.Count).Where(i => take(reviews[i])).ToArray();
        int[] Predict(float t, int[] train, int[] test) =>
            LinearProbe.TrainAndPredict(train.Select(i => features[t][i]).ToList(), train.Select(i => labels[i]).ToList(),
                test.Select(i => features[t][i]).ToList(), 2);
        double Accuracy(int[] predicted, int[] test) => test.Select((i, k) => predicted[k] == labels[i] ? 1.0 : 0.0).Average();
        float Choose(Func<float, double> score) => TemperatureChoice.Best(temperatures, score);

        // (1) Held-out folds.
        var fit = Where(r => r.Fold <= 5);
        var validation = Where(r => r.Fold is 6 or 7);
        var validationAccuracy = temperatures.Select(t => Accuracy(Predict(t, fit, validation), validation)).ToArray();
        var heldOutChoice = Choose(t => validationAccuracy[IndexOf(temperatures, t)]);
        var train = Where(r => r.Fold <= 7);
        var test = Where(r => r.Fold >= 8);
        var testPredictions = temperatures.ToDictionary(t => t, t => Predict(t, train, test));
        var heldOutTestAccuracy = temperatures.Select(t => Accuracy(testPredictions[t], test)).ToArray();
        var heldOut = PairedAccuracy.Compare(test.Select((i, k) => testPredictions[1f][k] == labels[i]).ToArray(),
            test.Select((i, k) => testPredictions[heldOutChoice][k] == labels[i]).ToArray(), replicates, seed);

        // (2) Nested 10-fold cross-validation.
        var folds = reviews.Select(r => r.Fold).Distinct().Order().ToArray();
        var correctAtOne = new bool[reviews.Count];
        var correctAtChoice = new bool[reviews.Count];
        var choices = new float[folds.Length];
        for (var f = 0; f < folds.Length; f++)
        {
            var outer = folds[f];
            var inner = folds.Where(x => x != outer).ToArray();
            double InnerAccuracy(float t)
            {
                var correct = 0;
                var total = 0;
                foreach (var held in inner)
                {
                    var innerTest = Where(r => r.Fold == held);
                    var predicted = Predict(t, Where(r => r.Fold != outer && r.Fold != held), innerTest);
                    correct += innerTest.Where((i, k) => predicted[k] == labels[i]).Count();
                    total += innerTest.Length;
                }
                return (double)correct / total;
            }
            choices[f] = Choose(InnerAccuracy);
            var outerTrain = Where(r => r.Fold != outer);
            var outerTest = Where(r => r.Fold == outer);
            var atOne = Predict(1f, outerTrain, outerTest);
            var atChoice = Predict(choices[f], outerTrain, outerTest);
            for (var k = 0; k < outerTest.Length; k++)
            {
                correctAtOne[outerTest[k]] = atOne[k] == labels[outerTest[k]];
                correctAtChoice[outerTest[k]] = atChoice[k] == labels[outerTest[k]];
            }
        }
        var crossValidated = PairedAccuracy.Compare(correctAtOne, correctAtChoice, replicates, seed);
        var byBucket = buckets.Select(b => (b, PairedAccuracy.Compare(b.Members.Select(i => correctAtOne[i]).ToArray(),
            b.Members.Select(i => correctAtChoice[i]).ToArray(), replicates, seed))).ToList();
        return new Result(temperatures, validationAccuracy, heldOutChoice, heldOut, heldOutTestAccuracy, choices, crossValidated, byBucket);
    }

    private static int IndexOf(IReadOnlyList<float> list, float value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        return -1;
    }
}
