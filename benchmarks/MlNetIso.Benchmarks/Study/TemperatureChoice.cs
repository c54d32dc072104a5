namespace MlNetIso.Benchmarks.Study;

/// <summary>How the study picks TempScale's τ* from training data: the τ &lt; 1 with the best score; ties go to the larger τ (closer to the unchanged encoder).</summary>
internal static class TemperatureChoice
{
    /// <summary>The τ &lt; 1 of <paramref name="temperatures"/> maximising <paramref name="score"/>.</summary>
    public static float Best(IReadOnlyList<float> temperatures, Func<float, double> score)
    {
        var candidates = temperatures.Where(t => t < 1f).ToList();
        if (candidates.Count == 0) throw new ArgumentException("At least one τ < 1 is needed to choose from.", nameof(temperatures));
        return candidates.Select(t => (T: t, S: score(t))).OrderByDescending(x => x.S).ThenByDescending(x => x.T).First().T;
    }
}
