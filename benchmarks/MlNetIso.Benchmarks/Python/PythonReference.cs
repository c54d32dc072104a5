using System.Diagnostics;
using System.Text.Json;

namespace MlNetIso.Benchmarks.Python;

/// <summary>
/// Runs a reference script of <c>benchmarks/python/</c> for a side-by-side timing: Debian's <c>/usr/bin/python3</c>
/// (numpy, scikit-learn, PyTorch) on OpenBLAS with its AVX-512 kernels selected — <c>OPENBLAS_CORETYPE=SkylakeX</c> is
/// set for that child process only (this VM's CPUID makes OpenBLAS pick narrower kernels otherwise) — and a given
/// thread count (<c>OPENBLAS_NUM_THREADS</c>, <c>OMP_NUM_THREADS</c>). The script's <c># …</c> lines say which BLAS
/// it loaded; its <c>RESULT {json}</c> lines are the measurements.
/// </summary>
internal static class PythonReference
{
    /// <summary>The OpenBLAS kernel family forced for reference runs.</summary>
    public const string CoreType = "SkylakeX";

    /// <summary>The interpreter: <c>--python path</c>, else Debian's <c>/usr/bin/python3</c>.</summary>
    public static string Interpreter(BenchmarkArguments args) => args.Value("--python") ?? "/usr/bin/python3";

    /// <summary>Full path of a script in <c>benchmarks/python/</c>.</summary>
    public static string Script(string fileName) => Path.Combine(RepoPaths.Root, "benchmarks", "python", fileName);

    /// <summary>Why the reference cannot run here (no interpreter, or it lacks numpy/scikit-learn), or null when it can.</summary>
    public static string? Unavailable(string python)
    {
        if (!File.Exists(python)) return $"{python} not found";
        try
        {
            var probe = Run(python, Script("blas_report.py"), [], threads: 1, timeout: TimeSpan.FromMinutes(1));
            return probe.ExitCode == 0 ? null : $"{python} cannot import the reference modules: {probe.Error.Trim()}";
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return e.Message;
        }
    }

    /// <summary>Runs a script and collects its BLAS lines and results.</summary>
    /// <param name="python">Interpreter.</param>
    /// <param name="script">Script path.</param>
    /// <param name="arguments">Script arguments.</param>
    /// <param name="threads">OpenBLAS/OpenMP threads for the child process.</param>
    /// <param name="timeout">Kill the child after this long.</param>
    public static PythonRun Run(string python, string script, IEnumerable<string> arguments, int threads, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        start.ArgumentList.Add(script);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["OPENBLAS_CORETYPE"] = CoreType;
        start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OMP_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(script)} did not finish within {timeout.TotalMinutes:0} min.");
        }
        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var results = lines.Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["RESULT ".Length..]).RootElement.Clone()).ToList();
        var blas = lines.Where(l => l.StartsWith("# ", StringComparison.Ordinal)).ToList();
        return new PythonRun(process.ExitCode, results, blas, stderr.Result);
    }
}
