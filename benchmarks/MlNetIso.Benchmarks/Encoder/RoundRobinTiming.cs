using MlNetIso.Benchmarks.Embedding;

namespace MlNetIso.Benchmarks.Encoder;

/// <summary>
/// Times several contenders on the same work, interleaved so that all see the same machine load: one untimed warm-up
/// each, then <c>repetitions</c> rounds in which every contender runs once, the starting contender rotating from round
/// to round. Each run is timed by wall clock and process CPU time (<see cref="PairedTiming.Time"/>).
/// </summary>
internal static class RoundRobinTiming
{
    public static IReadOnlyList<ContenderTimes> Run(IReadOnlyList<(string Name, Action Run)> contenders, int repetitions,
        Action<string>? log = null)
    {
        foreach (var (_, run) in contenders) run();
        var times = contenders.Select(_ => new List<Timing>()).ToList();
        for (var r = 0; r < repetitions; r++)
        {
            for (var k = 0; k < contenders.Count; k++)
            {
                var c = (k + r) % contenders.Count;
                times[c].Add(PairedTiming.Time(contenders[c].Run));
            }
            log?.Invoke($"    round {r + 1}: " + string.Join(", ", contenders.Select((c, i) =>
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.Name} {times[i][^1].WallSeconds:0.000} s"))));
        }
        return contenders.Select((c, i) => new ContenderTimes(c.Name, times[i])).ToList();
    }
}
