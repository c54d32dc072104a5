using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Benchmarks.Python;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Training;
using MlNetIso.Trainers.Kernels;
using MlNetIso.Trainers.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>
/// The I-STAR fine-tune step against PyTorch 1.13 on the same network, batch, loss and optimiser
/// (<see cref="FineTuneStepFixture"/>; <c>benchmarks/python/istar_step_reference.py</c>), at each thread count, in one
/// run: ours (TorchSharp 0.107 / libtorch 2.10) before and after the reference, the reference in every thread
/// configuration on OpenBLAS with its AVX-512 kernels (the fastest one is the fair baseline), the phases of our step
/// (forward, backward, optimiser), and the dense products of the step's shapes on all sides (libtorch's, ours and
/// OpenBLAS's through <c>benchmarks/python/gemm_peak.py</c>), which is what separated the two.
/// </summary>
internal static class IStarTorchComparison
{
    private static readonly (int M, int K, int N)[] StepShapes = [(1024, 128, 128), (1024, 128, 512), (1024, 512, 128), (2048, 2048, 2048)];

    public static int Run(string[] rawArgs)
    {
        var args = new BenchmarkArguments(rawArgs);
        bool quick = args.Has("--quick");
        int rounds = args.Int("--rounds", quick ? 3 : 7), steps = args.Int("--steps", quick ? 10 : 30);
        var threadCounts = (args.Value("--threads") ?? "1,2").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        if (args.Has("--libtorch-ops")) CpuKernels.Enabled = false;
        string python = PythonReference.Interpreter(args);
        string? unavailable = args.Has("--no-python") ? "--no-python" : PythonReference.Unavailable(python);
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {MachineInfo.LoadAverage()}; {FineTuneStepFixture.Shape}, layers All, " +
            $"rounds {rounds} × {steps} steps per variant, median ms/step; PyTorch: {unavailable ?? python + ", OPENBLAS_CORETYPE=" + PythonReference.CoreType}");

        Console.WriteLine();
        Console.WriteLine("## Dense products of the step's shapes (float32, GFLOP/s = 2mkn / wall s, best of the repeats)");
        Console.WriteLine();
        Console.WriteLine("| threads | m × k × n | libtorch 2.10 (TorchSharp) | ours (SingleGemm) | OpenBLAS (gemm_peak.py) | OpenBLAS / libtorch | OpenBLAS / ours |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (int threads in threadCounts)
        {
            torch.set_num_threads(threads);
            var reference = unavailable is null ? ReferenceGemm(python, threads) : null;
            if (SingleGemm.IsSupported) foreach (var (m, k, n) in StepShapes) OurGemm(m, k, n, threads); // past the JIT's tiering
            foreach (var (m, k, n) in StepShapes)
            {
                double libtorch = LibTorchGemm(m, k, n);
                double? ours = SingleGemm.IsSupported ? OurGemm(m, k, n, threads) : null;
                double? theirs = reference?.GetValueOrDefault((m, k, n));
                Console.WriteLine($"| {threads} | {m} × {k} × {n} | {libtorch:F1} | {Format(ours)} | {Format(theirs)} | " +
                    $"{(theirs is null ? "—" : $"{theirs / libtorch:F2}×")} | {(theirs is null || ours is null ? "—" : $"{theirs / ours:F2}×")} |");
            }
        }

        if (SingleGemm.IsSupported) GemmLinearOverhead();

        var ml = new MLContext(0);
        using var channel = MlNetIso.Transforms.Hosting.CatalogEnvironment.Get(ml.MulticlassClassification.Trainers).Start("istar-vs-torch");
        var rows = new List<string>();
        var phases = new List<string>();
        var memory = new List<string>();
        foreach (int threads in threadCounts)
        {
            torch.set_num_threads(threads);
            using var fixture = new FineTuneStepFixture(IStarLayers.All);
            using var optimizer = new ScalarSafeAdamW(fixture.Network.parameters(), 1e-4);
            var steppers = new OurStep(fixture, optimizer, channel);
            long startBytes = Environment.WorkingSet;
            var before = steppers.Measure(rounds, steps);
            phases.Add(steppers.Phases(threads, rounds, steps));
            var references = unavailable is null ? ReferenceSteps(python, threads, rounds, steps) : [];
            var after = steppers.Measure(rounds, steps);
            bool wasEnabled = CpuKernels.Enabled;
            CpuKernels.Enabled = false;
            var libtorchGemm = steppers.Measure(rounds, steps);
            CpuKernels.Enabled = wasEnabled;
            // Three more blocks of steps with the kernels on: the working set after each shows whether it keeps growing.
            var sizes = new List<double> { startBytes / 1048576.0 };
            for (int block = 0; block < 3; block++)
            {
                steppers.Measure(rounds, steps);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                sizes.Add(Environment.WorkingSet / 1048576.0);
            }
            int perBlock = 10 + 2 * rounds * steps;
            memory.Add($"| {threads} | {string.Join(" → ", sizes.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))} | {3 * perBlock} steps before, {perBlock} per block |");
            foreach (var (lambda, index) in new[] { (0.0, 0), (-1.0, 1) })
            {
                double ours = Math.Min(before[index], after[index]);
                var candidates = references.Where(r => r.Lambda == lambda && r.Form == "trace").ToList();
                var best = candidates.MinBy(r => r.WallMs);
                var authors = references.FirstOrDefault(r => r.Lambda == lambda && r.Form == "svd");
                rows.Add($"| {threads} | {lambda:0} | {before[index]:F1} / {after[index]:F1} | " +
                    (best is null ? "— | — | — |" : $"{best.WallMs:F1} ({best.Configuration}) | {string.Join(", ", candidates.Select(c => $"{c.WallMs:F1}"))} | {best.WallMs / ours:F2}× |") +
                    $" {(authors is null ? "—" : $"{authors.WallMs:F1} ({authors.WallMs / ours:F2}×)")} | {libtorchGemm[index]:F1} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("## Step time (ms/step, median of the blocks; ratio = fastest PyTorch configuration / ours, > 1 means ours is faster)");
        Console.WriteLine();
        Console.WriteLine("| threads | λ | ours before / after the reference | PyTorch, fastest configuration | PyTorch, every configuration | PyTorch / ours | PyTorch with the authors' svdvals IsoScore* | ours with libtorch's linear layers and GELU (CpuKernels off) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("## Our process's working set (MB): before our first step, then after each of three more blocks of steps");
        Console.WriteLine();
        Console.WriteLine("A leak in the custom autograd functions would make it grow block after block.");
        Console.WriteLine();
        Console.WriteLine("| threads | working set | steps |");
        Console.WriteLine("|---|---|---|");
        memory.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("## Our step by phase (λ = −1, ms/step, median)");
        Console.WriteLine();
        Console.WriteLine("| threads | forward + loss | backward | AdamW | divergence guard's weight check | whole step (with the regulariser's closed form and the guard) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        phases.ForEach(Console.WriteLine);
        if (!args.Has("--no-busy-core"))
        {
            // Another process holding a core: our step at each thread count, quiet and with a spinning shell child.
            Console.WriteLine();
            Console.WriteLine("## Our step with another process holding a core (ms/step, median, λ = −1)");
            Console.WriteLine();
            Console.WriteLine("| threads | quiet | one core busy | slow-down |");
            Console.WriteLine("|---|---|---|---|");
            foreach (int threads in threadCounts)
            {
                torch.set_num_threads(threads);
                using var fixture = new FineTuneStepFixture(IStarLayers.All);
                using var optimizer = new ScalarSafeAdamW(fixture.Network.parameters(), 1e-4);
                var step = new OurStep(fixture, optimizer, channel);
                double quiet = step.Measure(rounds, steps)[1];
                double busy;
                using (BusyCore.Start()) busy = step.Measure(rounds, steps)[1];
                Console.WriteLine($"| {threads} | {quiet:F1} | {busy:F1} | {busy / quiet:F2}× |");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"# finished {DateTime.UtcNow:HH:mm} UTC, load average {MachineInfo.LoadAverage()}");
        return 0;
    }

    /// <summary>Our fine-tune step at λ = 0 and λ = −1 (ζ = 0.2), and its phases.</summary>
    private sealed class OurStep(FineTuneStepFixture fixture, ScalarSafeAdamW optimizer, Microsoft.ML.Runtime.IChannel channel)
    {
        private readonly IStarTrainingLoop plain = new(new IStarOptions { FeatureColumnName = "x", Lambda = 0 }, CPU, channel, null);
        private readonly IStarTrainingLoop regularised = new(new IStarOptions { FeatureColumnName = "x", Lambda = -1, Zeta = 0.2 }, CPU, channel, null);
        private IsoScoreStarReference? c0;

        private IsoScoreStarReference C0
        {
            get
            {
                if (c0 is null)
                {
                    using var _ = no_grad();
                    fixture.Network.eval();
                    c0 = new IsoScoreStarReference(IsoScoreStarLoss.Covariance(fixture.Network.Forward(fixture.Batch).Points.to_type(ScalarType.Float64)));
                    fixture.Network.train();
                }
                return c0;
            }
        }

        /// <summary>Median ms/step at λ = 0 and λ = −1, alternating blocks after a warm-up.</summary>
        public double[] Measure(int rounds, int steps)
        {
            var reference = C0;
            fixture.Network.train();
            Action off = () => plain.Step(fixture.Network, optimizer, fixture.Batch, fixture.Target, null);
            Action on = () => regularised.Step(fixture.Network, optimizer, fixture.Batch, fixture.Target, reference);
            for (int i = 0; i < 5; i++)
            {
                off();
                on();
            }
            var times = new[] { new List<double>(), new List<double>() };
            for (int r = 0; r < rounds; r++)
            {
                times[0].Add(IStarStepBenchmark.Time(off, steps));
                times[1].Add(IStarStepBenchmark.Time(on, steps));
            }
            return [IStarStepBenchmark.Median(times[0]), IStarStepBenchmark.Median(times[1])];
        }

        /// <summary>One table row: forward + loss, backward and AdamW timed separately, and the whole λ = −1 step.</summary>
        public string Phases(int threads, int rounds, int steps)
        {
            var reference = C0;
            var network = fixture.Network;
            Action forward = () =>
            {
                using var scope = NewDisposeScope();
                var (logits, _) = network.Forward(fixture.Batch);
                _ = nn.functional.cross_entropy(logits, fixture.Target).item<float>();
            };
            Action forwardBackward = () =>
            {
                using var scope = NewDisposeScope();
                var (logits, _) = network.Forward(fixture.Batch);
                var task = nn.functional.cross_entropy(logits, fixture.Target);
                optimizer.ZeroGrad();
                task.backward();
            };
            forwardBackward();
            Action update = optimizer.Step; // the gradients of the last backward stay in place, so each call is a full update
            Action whole = () => regularised.Step(network, optimizer, fixture.Batch, fixture.Target, reference);
            var guard = new DivergenceGuard(new IStarOptions { FeatureColumnName = "x" }, network.parameters().ToList());
            Action check = guard.CheckWeights;
            var times = new[] { new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>() };
            for (int r = 0; r < rounds; r++)
            {
                times[0].Add(IStarStepBenchmark.Time(forward, steps));
                times[1].Add(IStarStepBenchmark.Time(forwardBackward, steps));
                forwardBackward();
                times[2].Add(IStarStepBenchmark.Time(update, steps));
                times[3].Add(IStarStepBenchmark.Time(whole, steps));
                times[4].Add(IStarStepBenchmark.Time(check, steps));
            }
            double f = IStarStepBenchmark.Median(times[0]), fb = IStarStepBenchmark.Median(times[1]);
            return $"| {threads} | {f:F1} | {fb - f:F1} | {IStarStepBenchmark.Median(times[2]):F1} | {IStarStepBenchmark.Median(times[4]):F2} | {IStarStepBenchmark.Median(times[3]):F1} |";
        }
    }

    /// <summary>A child shell that spins on one core until disposed (another process holding a core).</summary>
    private sealed class BusyCore : IDisposable
    {
        private readonly Process process;

        private BusyCore(Process process) => this.process = process;

        public static BusyCore Start()
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("while :; do :; done");
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /bin/sh.");
            Thread.Sleep(200);
            return new BusyCore(process);
        }

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }

    private sealed record ReferenceStep(double Lambda, string Form, string Configuration, double WallMs, double CpuMs);

    /// <summary>
    /// The PyTorch step in every thread configuration at this thread count: torch and OpenBLAS at <paramref name="threads"/>
    /// with OpenMP spin-waiting (the default) and with <c>OMP_WAIT_POLICY=PASSIVE</c>, and with one side on one thread;
    /// plus the authors' svdvals form of IsoScore* in the default configuration.
    /// </summary>
    private static List<ReferenceStep> ReferenceSteps(string python, int threads, int rounds, int steps)
    {
        var configurations = new List<(string Name, string[] Arguments)>
        {
            ($"torch {threads} + OpenBLAS {threads}", ["--threads", $"{threads}"]),
        };
        if (threads > 1)
        {
            configurations.Add(($"torch {threads} + OpenBLAS {threads}, OMP passive", ["--threads", $"{threads}", "--omp-passive"]));
            configurations.Add(($"torch 1 + OpenBLAS {threads}", ["--threads", $"{threads}", "--torch-threads", "1"]));
            configurations.Add(($"torch {threads} + OpenBLAS 1", ["--threads", "1", "--torch-threads", $"{threads}"]));
        }
        configurations.Add(($"torch {threads} + OpenBLAS {threads}, AdamW foreach", ["--threads", $"{threads}", "--foreach"]));
        var results = new List<ReferenceStep>();
        foreach (var (name, arguments) in configurations)
            results.AddRange(ReferenceRun(python, name, [.. arguments, "--form", "trace"], threads, rounds, steps));
        results.AddRange(ReferenceRun(python, $"torch {threads} + OpenBLAS {threads}", ["--threads", $"{threads}", "--form", "svd", "--lambdas", "-1"], threads, rounds, steps));
        return results;
    }

    private static IEnumerable<ReferenceStep> ReferenceRun(string python, string name, string[] arguments, int threads, int rounds, int steps)
    {
        int blasThreads = int.Parse(arguments[Array.IndexOf(arguments, "--threads") + 1], CultureInfo.InvariantCulture);
        var run = PythonReference.Run(python, PythonReference.Script("istar_step_reference.py"),
            [.. arguments, "--rounds", $"{rounds}", "--steps", $"{steps}"], blasThreads, TimeSpan.FromMinutes(20));
        foreach (var r in run.Checked("istar_step_reference.py"))
            yield return new ReferenceStep(r.GetProperty("lambda").GetDouble(), r.GetProperty("form").GetString()!, name,
                r.GetProperty("wall_ms").GetDouble(), r.GetProperty("cpu_ms").GetDouble());
    }

    /// <summary>GFLOP/s of libtorch's float32 matmul on one shape, best of the repeats.</summary>
    private static double LibTorchGemm(int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        var a = randn(m, k);
        var b = randn(k, n);
        for (int i = 0; i < 3; i++) a.matmul(b).Dispose();
        int repeats = (int)Math.Clamp(4e8 / (2.0 * m * k * n), 5, 400);
        double best = double.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++) a.matmul(b).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds / repeats);
        }
        return 2.0 * m * k * n / best / 1e9;
    }

    /// <summary>
    /// The cost of going through TorchSharp's custom autograd function: <see cref="GemmLinear"/> forward (and forward +
    /// backward) of a 32 × 32 × 128 activation through a 128 → 128 layer, against the bare <see cref="SingleGemm"/> product.
    /// </summary>
    private static unsafe void GemmLinearOverhead()
    {
        torch.set_num_threads(1);
        using var linear = nn.Linear(128, 128);
        using var x = randn(32, 32, 128).requires_grad_(true);
        var a = new float[1024 * 128];
        var b = new float[128 * 128];
        var c = new float[1024 * 128];
        Action bare = () => { fixed (float* pa = a, pb = b, pc = c) SingleGemm.Multiply(1024, 128, 128, pa, 128, 1, pb, 1, 128, pc, 128, false); };
        Action forward = () => { using var y = GemmLinear.Forward(linear, x); };
        Action both = () =>
        {
            using var y = GemmLinear.Forward(linear, x);
            using var loss = y.sum();
            loss.backward();
            x.grad = null;
            linear.weight!.grad = null;
            linear.bias!.grad = null;
        };
        var times = new[] { bare, forward, both }.Select(action =>
        {
            for (int i = 0; i < 300; i++) action();
            return IStarStepBenchmark.Median(Enumerable.Range(0, 5).Select(_ => IStarStepBenchmark.Time(action, 200)).ToList());
        }).ToArray();
        Console.WriteLine();
        Console.WriteLine("## GemmLinear against its bare product (1 thread, 1024 × 128 × 128, µs, median)");
        Console.WriteLine();
        Console.WriteLine("| bare SingleGemm product | GemmLinear forward | GemmLinear forward + backward (three products) |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| {1000 * times[0]:F0} | {1000 * times[1]:F0} | {1000 * times[2]:F0} |");
    }

    /// <summary>GFLOP/s of <see cref="SingleGemm"/> on one shape (row-major A and B), best of the repeats.</summary>
    private static unsafe double OurGemm(int m, int k, int n, int threads)
    {
        var random = new Random(1);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)random.NextDouble();
        for (int i = 0; i < b.Length; i++) b[i] = (float)random.NextDouble();
        int repeats = (int)Math.Clamp(4e8 / (2.0 * m * k * n), 5, 400);
        double best = double.MaxValue;
        fixed (float* pa = a, pb = b, pc = c)
        {
            for (int i = 0; i < 3; i++) SingleGemm.Multiply(m, n, k, pa, k, 1, pb, n, 1, pc, n, false, threads);
            for (int r = 0; r < 5; r++)
            {
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < repeats; i++) SingleGemm.Multiply(m, n, k, pa, k, 1, pb, n, 1, pc, n, false, threads);
                best = Math.Min(best, sw.Elapsed.TotalSeconds / repeats);
            }
        }
        return 2.0 * m * k * n / best / 1e9;
    }

    /// <summary>GFLOP/s of OpenBLAS's float32 product for each shape (<c>gemm_peak.py --shapes</c>, the machine-peak script).</summary>
    private static Dictionary<(int, int, int), double> ReferenceGemm(string python, int threads)
    {
        var run = PythonReference.Run(python, PythonReference.Script("gemm_peak.py"),
            ["--threads", $"{threads}", "--shapes", .. StepShapes.Select(s => $"{s.M}x{s.K}x{s.N}")], threads, TimeSpan.FromMinutes(5));
        return run.Checked("gemm_peak.py").ToDictionary(
            r => (r.GetProperty("m").GetInt32(), r.GetProperty("k").GetInt32(), r.GetProperty("n").GetInt32()),
            r => r.GetProperty("gflops").GetDouble());
    }

    private static string Format(double? value) => value is null ? "—" : value.Value.ToString("F1", CultureInfo.InvariantCulture);
}
