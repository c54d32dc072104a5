using MlNetIso.Benchmarks.Python;

namespace MlNetIso.Benchmarks.Peak;

/// <summary>The <c>peak</c> verb: the machine peaks of <see cref="MachinePeak"/> on their own (options: --python, --no-python).</summary>
internal static class PeakSuite
{
    public static int Run(string[] argv)
    {
        var args = new BenchmarkArguments(argv);
        string python = PythonReference.Interpreter(args);
        string? unavailable = args.Has("--no-python") ? "--no-python" : PythonReference.Unavailable(python);
        Console.WriteLine($"# machine peak ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC); {Embedding.MachineInfo.Describe()}; load average {Embedding.MachineInfo.LoadAverage()}");
        if (unavailable is not null) Console.WriteLine($"# OpenBLAS GEMM skipped: {unavailable}");
        MachinePeak.Measure(python, unavailable is null, Console.WriteLine);
        return 0;
    }
}
