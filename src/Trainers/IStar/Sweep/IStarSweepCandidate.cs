namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>
/// One evaluated candidate of an I-STAR sweep: its option values and its cross-validated accuracy (the held-out fold's
/// share of rows whose predicted class is the label).
/// </summary>
/// <param name="Index">Position in the order the candidates were evaluated (0-based).</param>
/// <param name="Values">The swept options' values, by property name, of the properties' types.</param>
/// <param name="FoldScores">Held-out accuracy of each fold, in fold order.</param>
public sealed record IStarSweepCandidate(int Index, IReadOnlyDictionary<string, object> Values, IReadOnlyList<double> FoldScores)
{
    /// <summary>Mean held-out accuracy over the folds.</summary>
    public double MeanScore => FoldScores.Average();

    /// <summary>Sample standard deviation (n − 1) of the fold accuracies; 0 for a single fold.</summary>
    public double StandardDeviation
    {
        get
        {
            if (FoldScores.Count < 2) return 0;
            double mean = MeanScore;
            return Math.Sqrt(FoldScores.Sum(x => (x - mean) * (x - mean)) / (FoldScores.Count - 1));
        }
    }

    /// <summary>The values as <c>Lambda=-1, Zeta=0.2</c>.</summary>
    public string Describe() => string.Join(", ", Values.Select(kv => $"{kv.Key}={IStarSearchParameter.Format(kv.Value)}"));
}
