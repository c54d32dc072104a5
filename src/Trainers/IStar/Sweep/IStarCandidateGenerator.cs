namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>
/// Builds the candidate list of a sweep from its options: the grid (a Cartesian product, the first parameter varying
/// slowest) or seeded random / Latin-hypercube points of the feature space. A parameter with explicit values is a
/// discrete axis over them; duplicate candidates are dropped.
/// </summary>
internal static class IStarCandidateGenerator
{
    /// <summary>The candidates' values, in evaluation order.</summary>
    public static List<IReadOnlyDictionary<string, object>> Generate(IStarSearchSpace space, IStarSweepOptions options)
    {
        var explicitValues = new Dictionary<string, object[]>(StringComparer.Ordinal);
        foreach (var (name, values) in options.Values)
        {
            var parameter = space.Find(name)
                ?? throw new ArgumentException($"IStarSweepOptions.Values names '{name}', which is not among the swept Parameters ({string.Join(", ", space.Parameters.Select(p => p.Name))}).");
            if (values is null || values.Length == 0)
                throw new ArgumentException($"IStarSweepOptions.Values for {parameter.Name} is empty.");
            explicitValues[parameter.Name] = values.Select(parameter.Check).Distinct().ToArray();
        }

        var points = new List<IReadOnlyDictionary<string, object>>();
        switch (options.Strategy)
        {
            case IStarSweepStrategy.Grid:
                var axes = space.Parameters.Select(p => explicitValues.TryGetValue(p.Name, out var v) ? v : GridAxis(p, options.GridSteps)).ToArray();
                foreach (var combination in Product(axes))
                    points.Add(space.Parameters.Select((p, i) => (p.Name, Value: combination[i])).ToDictionary(x => x.Name, x => x.Value));
                break;
            case IStarSweepStrategy.Random:
            case IStarSweepStrategy.LatinHypercube:
                if (options.Candidates < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Candidates, "IStarSweepOptions.Candidates must be at least 1.");
                var random = new Random(options.Seed);
                var unit = options.Strategy == IStarSweepStrategy.Random
                    ? Enumerable.Range(0, options.Candidates).Select(_ => space.Parameters.Select(_ => random.NextDouble()).ToArray()).ToArray()
                    : LatinHypercube(options.Candidates, space.FeatureSpaceDimension, random);
                foreach (var u in unit)
                    points.Add(space.Parameters.Select((p, i) => (p.Name, Value: explicitValues.TryGetValue(p.Name, out var v)
                        ? v[Math.Min((int)(u[i] * v.Length), v.Length - 1)]
                        : p.FromFeatureSpace(u[i]))).ToDictionary(x => x.Name, x => x.Value));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Strategy, "Unknown sweep strategy.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return points.Where(p => seen.Add(string.Join("|", p.Select(kv => kv.Key + "=" + IStarSearchParameter.Format(kv.Value))))).ToList();
    }

    private static object[] GridAxis(IStarSearchParameter p, int steps)
    {
        if (p.Kind != IStarSearchParameterKind.Range) return p.Choices.ToArray();
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "IStarSweepOptions.GridSteps must be at least 2.");
        return Enumerable.Range(0, steps).Select(i => p.FromFeatureSpace((double)i / (steps - 1))).Distinct().ToArray();
    }

    private static IEnumerable<object[]> Product(object[][] axes)
    {
        var index = new int[axes.Length];
        while (true)
        {
            yield return axes.Select((a, i) => a[index[i]]).ToArray();
            int k = axes.Length - 1;
            while (k >= 0 && ++index[k] == axes[k].Length)
            {
                index[k] = 0;
                k--;
            }
            if (k < 0) yield break;
        }
    }

    private static double[][] LatinHypercube(int n, int dimension, Random random)
    {
        var points = Enumerable.Range(0, n).Select(_ => new double[dimension]).ToArray();
        for (int d = 0; d < dimension; d++)
        {
            var strata = Enumerable.Range(0, n).ToArray();
            random.Shuffle(strata);
            for (int i = 0; i < n; i++) points[i][d] = (strata[i] + random.NextDouble()) / n;
        }
        return points;
    }
}
