using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>
/// <c>istar-study</c>: I-STAR on a real encoder (issue 11 §2). Fine-tunes all-MiniLM-L6-v2 with each λ and seed on
/// each dataset, plus a head-only baseline on the frozen encoder's embeddings, and appends one JSON line per finished run
/// to <c>--out</c>. Each fine-tune run is a child process (a native crash loses one run) and a restarted study skips
/// the runs already in the file. <c>--report FILE</c> turns a results file into the tables and plots of a run log in docs/runs/ (verdicts summarised in docs/istar.md).
/// </summary>
internal static class IStarStudy
{
    public static int Run(string[] args)
    {
        var a = new BenchmarkArguments(args);
        if (a.Value("--report") is { } reportFile)
            return IStarStudyReport.Write(reportFile, a.Value("--img") ?? Path.Combine(RepoPaths.Root, "docs", "img"));
        var s = IStarStudySettings.Parse(a);
        string output = a.Value("--out") ?? throw new ArgumentException("istar-study needs --out FILE (the JSONL results file) or --report FILE.");
        if (!Directory.Exists(s.DataDir))
        {
            Console.Error.WriteLine($"data folder '{s.DataDir}' not found (use --data)");
            return 2;
        }
        if (a.Value("--job") is { } job) return RunJob(s, job, output);

        Console.WriteLine($"[istar-study] {s.Encoder}; datasets {string.Join(", ", s.Datasets)}; λ {string.Join(", ", s.Lambdas.Select(l => l.ToString(CultureInfo.InvariantCulture)))}; " +
            $"seeds 1..{s.Seeds}; {s.Budget}; results → {output}");
        // Seeds outermost: if the study is stopped, the runs it has are whole seeds of every cell.
        var jobs = new List<(string Job, string[] Keys)>();
        foreach (var dataset in s.Datasets)
            jobs.Add(($"head-only|{dataset}", (from seed in Enumerable.Range(1, s.Seeds) from l in s.Lambdas select s.Key("head-only", dataset, l, seed))
                .Append(s.Key("pretrained", dataset, 0, 0)).ToArray()));
        for (int seed = 1; seed <= s.Seeds; seed++)
            foreach (var dataset in s.Datasets)
                foreach (var lambda in s.Lambdas)
                    jobs.Add((string.Create(CultureInfo.InvariantCulture, $"fine-tune|{dataset}|{lambda:R}|{seed}"), [s.Key("fine-tune", dataset, lambda, seed)]));
        int failed = 0;
        foreach (var (jobText, keys) in jobs)
        {
            var done = JsonLinesFile.Read(output).Select(r => r.Key).ToHashSet();
            if (keys.All(done.Contains)) continue;
            var sw = Stopwatch.StartNew();
            int code = RunChild(args, jobText);
            Console.WriteLine($"[istar-study] job {jobText}: exit {code} after {sw.Elapsed.TotalSeconds:F0} s (load {IStarStudyRun.LoadAverage():F1})");
            if (code != 0) failed++;
        }
        Console.WriteLine($"[istar-study] done; {failed} job(s) failed (rerun the same command to retry them).");
        return failed == 0 ? 0 : 1;
    }

    private static int RunJob(IStarStudySettings s, string job, string output)
    {
        // libtorch's thread count is process-wide; the trainer sets it only during Fit, so the frozen-encoder embedding
        // and the test measurements would otherwise run with one thread per core (much slower on a busy machine).
        TorchSharp.torch.set_num_threads(s.Threads);
        var parts = job.Split('|');
        var done = JsonLinesFile.Read(output).Select(r => r.Key).ToHashSet();
        switch (parts[0])
        {
            case "head-only" when parts.Length == 2:
                IStarStudyRun.HeadOnly(s, parts[1], done, output);
                return 0;
            case "fine-tune" when parts.Length == 4:
                double lambda = double.Parse(parts[2], CultureInfo.InvariantCulture);
                int seed = int.Parse(parts[3], CultureInfo.InvariantCulture);
                var r = IStarStudyRun.FineTune(s, parts[1], lambda, seed, output);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[istar-study] {r.Key}: accuracy {r.Accuracy:F4}, token IsoScore {r.TestIsoScore:F4}, sentence IsoScore {r.SentenceIsoScore:F4}, " +
                    $"TwoNN tokens {r.PointsTwoNN:F2} / sentences {r.SentenceTwoNN:F2}; fit {r.FitSeconds:F0} s wall, {r.FitCpuSeconds:F0} s CPU; measure {r.MeasureSeconds:F0} s"));
                return 0;
            default:
                throw new ArgumentException($"Bad --job '{job}'.");
        }
    }

    /// <summary>Runs this program again with the same options plus <c>--job</c>, sharing the console.</summary>
    private static int RunChild(string[] args, string job)
    {
        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var info = new ProcessStartInfo(exe) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        info.ArgumentList.Add("istar-study");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--job");
        info.ArgumentList.Add(job);
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {exe}.");
        child.WaitForExit();
        return child.ExitCode;
    }
}
