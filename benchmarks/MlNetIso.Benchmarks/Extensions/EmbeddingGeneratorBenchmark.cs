using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Extensions.AI;

namespace MlNetIso.Benchmarks.Extensions;

/// <summary>
/// <c>embedding-generator</c>: the TempScaleEmbeddingGenerator under concurrent callers, micro-batching on vs off.
/// Each caller sends single-text requests one after another (closed loop), as request handlers of a web service do;
/// throughput is texts per second of wall time, latency is per request. The two modes run interleaved (ABAB…) over the
/// same texts, each with its own generator (one ONNX Runtime session each, default intra-op threads).
/// </summary>
internal static class EmbeddingGeneratorBenchmark
{
    public static int Run(string[] argv)
    {
        var args = new BenchmarkArguments(argv);
        var model = args.Value("--model") ?? "all-MiniLM-L6-v2";
        var callers = args.Int("--callers", 32);
        var perCaller = args.Int("--requests", 16);
        var reps = args.Int("--reps", 3);
        var delayMs = args.Int("--delay-ms", 2);
        var encoderBatch = args.Int("--encoder-batch", 32);
        var intraOp = args.Value("--intra-op") is null ? 0 : args.Int("--intra-op", 1);
        var texts = Texts(callers * perCaller);
        var inv = CultureInfo.InvariantCulture;

        Console.WriteLine($"# embedding-generator ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC): model {model}, {callers} concurrent callers × {perCaller} " +
                          $"single-text requests, {reps} interleaved repetitions, micro-batch ≤ 32 texts in ONNX Runtime runs of ≤ {encoderBatch}, max wait {delayMs} ms, ONNX Runtime intra-op threads {(intraOp == 0 ? "default" : intraOp.ToString(CultureInfo.InvariantCulture))}");
        Console.WriteLine($"# {MachineInfo.Describe()}; load average at start {MachineInfo.LoadAverage()}");

        using var batched = new TempScaleEmbeddingGenerator(new TempScaleEmbeddingGeneratorOptions
        {
            Model = model,
            MicroBatching = true,
            MaxBatchSize = 32,
            EncoderBatchSize = encoderBatch,
            IntraOpThreads = intraOp,
            MaxBatchDelay = TimeSpan.FromMilliseconds(delayMs),
        });
        using var unbatched = new TempScaleEmbeddingGenerator(new TempScaleEmbeddingGeneratorOptions { Model = model, MicroBatching = false, IntraOpThreads = intraOp });
        // Warm-up: one pass each (sessions, buffers, thread pool).
        Pass(batched, texts, callers).Wait();
        Pass(unbatched, texts, callers).Wait();

        var results = new Dictionary<string, List<PassResult>> { ["batched"] = [], ["unbatched"] = [] };
        for (var r = 0; r < reps; r++)
        {
            var order = r % 2 == 0 ? new[] { "batched", "unbatched" } : ["unbatched", "batched"];
            foreach (var mode in order)
            {
                var before = mode == "batched" ? (batched.BatchesRun, batched.BatchedTexts) : (0, 0);
                var result = Pass(mode == "batched" ? batched : unbatched, texts, callers).Result;
                results[mode].Add(result);
                var batches = mode == "batched" ? $", {(batched.BatchedTexts - before.Item2) / (double)Math.Max(1, batched.BatchesRun - before.Item1):0.0} texts per micro-batch" : "";
                Console.WriteLine(string.Create(inv,
                    $"rep {r} {mode,-9}: {result.Throughput,7:0.0} texts/s, p50 {result.P50,7:0.0} ms, p99 {result.P99,7:0.0} ms, wall {result.Wall:0.00} s, cpu {result.Cpu:0.00} s{batches}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| mode | texts/s (median) | p50 ms (median) | p99 ms (median) | CPU s per pass (median) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (mode, list) in results)
            Console.WriteLine(string.Create(inv,
                $"| {mode} | {PairedResult.Median(list.Select(x => x.Throughput)):0.0} | {PairedResult.Median(list.Select(x => x.P50)):0.0} | " +
                $"{PairedResult.Median(list.Select(x => x.P99)):0.0} | {PairedResult.Median(list.Select(x => x.Cpu)):0.00} |"));
        var ratios = results["batched"].Zip(results["unbatched"], (b, u) => b.Throughput / u.Throughput).ToArray();
        Console.WriteLine(string.Create(inv,
            $"# throughput batched/unbatched: median {PairedResult.Median(ratios):0.00} (per-rep min {ratios.Min():0.00}, max {ratios.Max():0.00})"));
        Console.WriteLine($"# load average at end {MachineInfo.LoadAverage()}");
        return 0;
    }

    private sealed record PassResult(double Throughput, double P50, double P99, double Wall, double Cpu);

    /// <summary>Each of <paramref name="callers"/> loops sends its share of <paramref name="texts"/> one request at a time.</summary>
    private static async Task<PassResult> Pass(TempScaleEmbeddingGenerator generator, string[] texts, int callers)
    {
        var latencies = new double[texts.Length];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            for (var i = c; i < texts.Length; i += callers)
            {
                var start = Stopwatch.GetTimestamp();
                await generator.GenerateVectorAsync(texts[i]);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        clock.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Array.Sort(latencies);
        return new PassResult(texts.Length / clock.Elapsed.TotalSeconds, Quantile(latencies, 0.5), Quantile(latencies, 0.99),
            clock.Elapsed.TotalSeconds, cpuSeconds);
    }

    private static double Quantile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Sentences of the bundled rt-polarity data (repository data/), alternating positive and negative.</summary>
    private static string[] Texts(int count)
    {
        var folder = Path.Combine(RepoPaths.Root, "data", "rt-sentence-polarity-v1");
        var pos = File.ReadLines(Path.Combine(folder, "rt-polarity.pos")).Where(l => l.Length > 0).ToArray();
        var neg = File.ReadLines(Path.Combine(folder, "rt-polarity.neg")).Where(l => l.Length > 0).ToArray();
        return Enumerable.Range(0, count).Select(i => i % 2 == 0 ? pos[i / 2 % pos.Length] : neg[i / 2 % neg.Length]).ToArray();
    }
}
