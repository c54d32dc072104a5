using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Benchmarks.Peak;
using MlNetIso.Benchmarks.Python;
using MlNetIso.Geometry;
using MlNetIso.Transforms.IO;

namespace MlNetIso.Benchmarks.IsoScore;

/// <summary>
/// IsoScore end to end, side by side in one run: ours (<see cref="CovarianceAccumulator"/> + trace form, 1 and 2
/// threads) against the authors' numpy/scikit-learn procedure (<c>benchmarks/python/isoscore_reference.py</c>, float32
/// and float64 input, 1 and 2 OpenBLAS threads with the AVX-512 kernels) on the same rows, which this benchmark writes
/// to a raw file the script reads. Each kernel is reported as a share of the machine peak measured in the same run
/// (<see cref="MachinePeak"/>). Also: the float32-products study behind the library's float64 kernel, and the 768×768
/// eigensolver.
/// </summary>
internal static class IsoScoreBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] argv)
    {
        var args = new BenchmarkArguments(argv);
        bool quick = args.Has("--quick");
        int reps = args.Int("--reps", 5);
        int refReps = args.Int("--ref-reps", 3);
        string python = PythonReference.Interpreter(args);
        string? unavailable = args.Has("--no-python") ? "--no-python" : PythonReference.Unavailable(python);

        Console.WriteLine($"# IsoScore / covariance benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine($"# {MachineInfo.Describe()}");
        Console.WriteLine($"# Vector512 accelerated: {Vector512.IsHardwareAccelerated}; covariance kernel path: {SymmetricRankKUpdate.Widest}");
        Console.WriteLine($"# load average at start: {MachineInfo.LoadAverage()}");
        Console.WriteLine(unavailable is null
            ? $"# reference: {python} with OPENBLAS_CORETYPE={PythonReference.CoreType} (set for the child process only)"
            : $"# reference skipped: {unavailable}");
        var peak = MachinePeak.Measure(python, unavailable is null, Console.WriteLine);

        var cases = new List<(string Name, int M, int D, Func<float[]> Rows)>();
        if (quick)
            cases.Add(("random N(0,1)", 5_000, 768, () => RowClouds.Gaussian(5_000, 768, seed: 5_000)));
        else
        {
            cases.Add(("random N(0,1)", 20_000, 768, () => RowClouds.Gaussian(20_000, 768, seed: 20_000)));
            cases.Add(("hidden-state-like", 20_000, 768, () => RowClouds.HiddenStateLike(20_000, 768, seed: 20_001)));
            cases.Add(("random N(0,1)", 100_000, 768, () => RowClouds.Gaussian(100_000, 768, seed: 100_000)));
        }
        var w2v = Word2VecRows(args);
        if (w2v is not null) cases.Add(("word2vec 300d", w2v.Value.M, 300, () => w2v.Value.Rows));

        Console.WriteLine();
        Console.WriteLine($"# ours: best (minimum wall) of {reps} runs, CPU seconds of that run; reference: best of {refReps} runs (2 at 100k rows)");
        Console.WriteLine("# GFLOP/s counts the covariance's useful work, m·d(d+1) flops (d(d+1)/2 multiply-adds per row); 'per core' = flops / CPU seconds");
        Console.WriteLine("| cloud | rows × d | method | threads | wall s | cpu s | GFLOP/s wall | GFLOP/s per core | share of OpenBLAS DGEMM, same threads (wall / per core) | share of FMA peak (per core) | IsoScore | ours faster: wall (cpu) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, m, d, make) in cases)
            Compare(name, m, d, make(), reps, m >= 100_000 ? Math.Min(refReps, 2) : refReps, peak, python, unavailable is null);

        Console.WriteLine();
        Float32Study(quick ? 5_000 : 20_000);
        Console.WriteLine();
        Eigensolver();
        Console.WriteLine($"# load average at end: {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static void Compare(string name, int m, int d, float[] data, int reps, int refReps, PeakReport peak, string python, bool withPython)
    {
        double flops = (double)m * d * (d + 1);
        var ours = new Dictionary<int, (Timing Time, double Score)>();
        foreach (int threads in new[] { 1, 2 })
        {
            Ours(data, m, d, threads); // warm-up (JIT, pages)
            var runs = Enumerable.Range(0, reps).Select(_ => Ours(data, m, d, threads)).ToList();
            var best = runs.MinBy(r => r.Time.WallSeconds);
            ours[threads] = best;
            var dgemm = peak.Find("float64", threads);
            string share = dgemm is null
                ? "–"
                : string.Create(Inv, $"{flops / best.Time.WallSeconds / 1e9 / dgemm.WallGflops:P0} / {flops / best.Time.CpuSeconds / 1e9 / dgemm.GflopsPerCpuSecond:P0}");
            Row(name, m, d, "ours: accumulator + trace form", threads, best.Time,
                string.Create(Inv, $"{flops / best.Time.WallSeconds / 1e9:0.0}"), string.Create(Inv, $"{flops / best.Time.CpuSeconds / 1e9:0.0}"),
                share, string.Create(Inv, $"{flops / best.Time.CpuSeconds / 1e9 / peak.FmaLoopGflops:P0}"), best.Score, "");
        }
        if (Math.Abs(ours[1].Score - ours[2].Score) > 1e-12)
            Console.WriteLine($"| WARNING: 1 and 2 threads differ by {Math.Abs(ours[1].Score - ours[2].Score):E2} | | | | | | | | | | | |");
        if (!withPython) return;

        string file = Path.Combine(Path.GetTempPath(), $"mlnetiso-isoscore-{Environment.ProcessId}-{m}x{d}.f32");
        try
        {
            RowClouds.WriteRaw(data, file);
            foreach (string dtype in new[] { "float32", "float64" })
                foreach (int threads in new[] { 1, 2 })
                {
                    var run = PythonReference.Run(python, PythonReference.Script("isoscore_reference.py"),
                        ["--rows", file, "--m", m.ToString(Inv), "--d", d.ToString(Inv), "--dtype", dtype, "--repeats", refReps.ToString(Inv)],
                        threads, TimeSpan.FromMinutes(20));
                    var r = run.Checked("isoscore_reference.py")[0];
                    var time = new Timing(r.GetProperty("wall_s").GetDouble(), r.GetProperty("cpu_s").GetDouble());
                    double score = r.GetProperty("isoscore").GetDouble();
                    var o = ours[threads].Time;
                    Row(name, m, d, $"authors' IsoScore.py procedure, {dtype} input (OpenBLAS {CoreTypeOf(run)}; PCA {r.GetProperty("pca_s").GetDouble():0.00} s, cov {r.GetProperty("cov_s").GetDouble():0.00} s)",
                        threads, time, "–", "–", "–", "–", score,
                        string.Create(Inv, $"{time.WallSeconds / o.WallSeconds:0.0}× ({time.CpuSeconds / o.CpuSeconds:0.0}×)"));
                    double deviation = Math.Abs(score - ours[threads].Score);
                    if (dtype == "float64" && deviation > 1e-9)
                        Console.WriteLine($"| WARNING: float64 reference differs from ours by {deviation:E2} | | | | | | | | | | | |");
                }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string CoreTypeOf(PythonRun run) =>
        run.BlasLines.FirstOrDefault(l => l.StartsWith("# openblas_core:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";

    private static void Row(string cloud, int m, int d, string method, int threads, Timing t, string gflopsWall, string gflopsCore,
        string dgemmShare, string fmaShare, double score, string ratio) =>
        Console.WriteLine(string.Create(Inv,
            $"| {cloud} | {m:N0} × {d} | {method} | {threads} | {t.WallSeconds:0.000} | {t.CpuSeconds:0.000} | {gflopsWall} | {gflopsCore} | {dgemmShare} | {fmaShare} | {score:0.0000000000} | {ratio} |"));

    private static (Timing Time, double Score) Ours(float[] data, int m, int d, int threads)
    {
        double score = 0;
        var time = PairedTiming.Time(() =>
        {
            var acc = new CovarianceAccumulator(d, threads);
            acc.AddRows(data, m);
            score = CovarianceScores.IsoScore(acc.GetCovariance());
        });
        return (time, score);
    }

    /// <summary>
    /// The float32 decision: IsoScore with float32 products (float64 between chunks) against the float64 kernel on the
    /// same rows, on the clouds where it matters (rogue dimensions, large scale and offset), and the speed of the two
    /// kernels on one block.
    /// </summary>
    private static void Float32Study(int m)
    {
        const int d = 768;
        Console.WriteLine($"# float32 products with float64 accumulation per chunk (≤ {SymmetricRankKUpdate.MaxChunkRows} rows) vs the float64 kernel, {m:N0} × {d}");
        if (!Vector512.IsHardwareAccelerated)
        {
            Console.WriteLine("# skipped: the study kernel needs AVX-512");
            return;
        }
        Console.WriteLine("| cloud | IsoScore, float64 kernel | IsoScore, float32 products | |difference| | max |ΔC| / max C_ii |");
        Console.WriteLine("|---|---|---|---|---|");
        var clouds = new (string Name, float[] Rows)[]
        {
            ("random N(0,1)", RowClouds.Gaussian(m, d, seed: 1)),
            ("hidden-state-like", RowClouds.HiddenStateLike(m, d, seed: 2)),
            ("hidden-state-like × 1e4 + 1e3", RowClouds.HiddenStateLike(m, d, seed: 3, scale: 1e4, offset: 1e3)),
        };
        foreach (var (name, cloud) in clouds)
        {
            var acc = new CovarianceAccumulator(d);
            acc.AddRows(cloud, m);
            var c64 = acc.GetCovariance();
            var c32 = Float32BlockGram.Covariance(cloud, m, d);
            double maxDiag = 0, maxDiff = 0;
            for (int i = 0; i < d; i++)
            {
                maxDiag = Math.Max(maxDiag, c64[i, i]);
                for (int j = 0; j < d; j++) maxDiff = Math.Max(maxDiff, Math.Abs(c64[i, j] - c32[i, j]));
            }
            double s64 = CovarianceScores.IsoScore(c64), s32 = CovarianceScores.IsoScore(c32);
            Console.WriteLine(string.Create(Inv, $"| {name} | {s64:0.000000000000} | {s32:0.000000000000} | {Math.Abs(s64 - s32):E2} | {maxDiff / maxDiag:E2} |"));
        }

        // The spectrum-based measures need more than IsoScore does: the singular effective rank of 64 rows in 1024
        // dimensions, whose 960 null eigenvalues sit at the products' rounding floor.
        const int few = 64, wide = 1024;
        var singular = RowClouds.HiddenStateLike(few, wide, seed: 5);
        var exact = new CovarianceAccumulator(wide);
        exact.AddRows(singular, few);
        double rank64 = SingularEffectiveRank(exact.GetCovariance());
        double rank32 = SingularEffectiveRank(Float32BlockGram.Covariance(singular, few, wide));
        Console.WriteLine(string.Create(Inv,
            $"# singular effective rank of {few} × {wide} hidden-state-like rows: float64 kernel {rank64:0.000000}, float32 products {rank32:0.000000} (relative difference {Math.Abs(rank32 - rank64) / rank64:E2})"));

        // Kernel speed on one block of 257 rows (a full block plus the Chan row), per CPU second, best of 7.
        const int rows = 257;
        var rng = new Random(4);
        int p64 = d / 8, p32 = Float32BlockGram.Panels(d);
        var packed64 = new double[p64 * rows * 8];
        var packed32 = new float[p32 * rows * Float32BlockGram.PanelWidth];
        for (int i = 0; i < packed64.Length; i++) packed64[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < packed32.Length; i++) packed32[i] = (float)(rng.NextDouble() - 0.5);
        var gram64 = new double[d * d];
        var gram32 = new double[p32 * 16 * p32 * 16];
        double flops = (double)rows * d * (d + 1);
        double t64 = BestCpu(() => SymmetricRankKUpdate.AddUpperGram(SymmetricRankKUpdate.KernelPath.Vector512, packed64, rows * 8, rows, p64, gram64));
        double t32 = BestCpu(() => Float32BlockGram.AddUpperGram(packed32, rows * 16, rows, p32, gram32));
        Console.WriteLine(string.Create(Inv,
            $"# kernel on one 257 × 768 block: float64 {flops / t64 / 1e9:0.0} GFLOP/s per core, float32 products {flops / t32 / 1e9:0.0} GFLOP/s per core ({t64 / t32:0.00}× faster)"));
    }

    private static double SingularEffectiveRank(double[,] covariance) =>
        SpectralMeasures.EffectiveRankSingular([.. SpectralMeasures.FloorRoundingNoise(SymmetricEigen.Eigenvalues(covariance)).Select(Math.Sqrt)]);

    private static double BestCpu(Action kernel)
    {
        const int inner = 20;
        kernel();
        double best = double.MaxValue;
        for (int t = 0; t < 7; t++)
        {
            var time = PairedTiming.Time(() =>
            {
                for (int i = 0; i < inner; i++) kernel();
            });
            best = Math.Min(best, time.CpuSeconds / inner);
        }
        return best;
    }

    private static void Eigensolver()
    {
        var cov = new CovarianceAccumulator(768);
        cov.AddRows(RowClouds.Gaussian(2_000, 768, seed: 7), 2_000);
        var c = cov.GetCovariance();
        SymmetricEigen.Eigenvalues(c); // warm-up
        double[] lambda = [];
        var t = PairedTiming.Time(() => lambda = SymmetricEigen.Eigenvalues(c));
        Console.WriteLine(string.Create(Inv,
            $"# MathNet symmetric EVD of a 768×768 covariance: {t.WallSeconds:0.000} s wall, {t.CpuSeconds:0.000} s cpu " +
            $"(IsoScore eigen form {CovarianceScores.IsoScoreFromEigenvalues(lambda):0.000000} vs trace form {CovarianceScores.IsoScore(c):0.000000})"));
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"# process peak working set: {process.PeakWorkingSet64 / 1e6:F0} MB (includes the benchmark's own input arrays)");
    }

    private static (int M, float[] Rows)? Word2VecRows(BenchmarkArguments args)
    {
        string? dir = RepoPaths.SharedData(args);
        string? file = dir is null ? null : Path.Combine(dir, "word2vec-googlenews-300d-8k", "word2vec.googlenews.300d.8k-subset.txt");
        if (file is null || !File.Exists(file))
        {
            Console.WriteLine("# word2vec 300d skipped: shared data not found (pass --data <dir>)");
            return null;
        }
        var vectors = VectorTextFile.Read(file).Vectors;
        return (vectors.Count, vectors.SelectMany(v => v).ToArray());
    }
}
