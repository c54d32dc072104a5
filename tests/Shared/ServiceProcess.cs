using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MlNetIso.Tests;

/// <summary>
/// The sample service (samples/MlNetIso.Service) run as its own process on loopback: <c>dotnet MlNetIso.Service.dll
/// --urls http://127.0.0.1:0 …</c>, with the port Kestrel chose read from its "Now listening on" log line. Disposing it
/// kills the process tree and waits for it. Used by the service tests and the service benchmark.
/// </summary>
public sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The base address the service listens on.</summary>
    public Uri Address { get; private set; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Everything the service wrote to stdout and stderr so far.</summary>
    public string Log => string.Join(Environment.NewLine, _output);

    /// <summary>The service's resident set size now (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>Total processor time the service has used.</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Whether the process has ended (crashed, or was stopped).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The service's DLL as built beside the repository's other outputs for <paramref name="configuration"/>.</summary>
    public static string BuiltAssembly(string repoRoot, string configuration) =>
        Path.Combine(repoRoot, "samples", "MlNetIso.Service", "bin", configuration, "net10.0", "MlNetIso.Service.dll");

    /// <summary>Starts the service in <paramref name="workingFolder"/> with extra configuration arguments (e.g. <c>--Embeddings:Model=mlnetiso-mini</c>).</summary>
    /// <exception cref="TimeoutException">It did not listen within <paramref name="startTimeout"/> (its log is in the message).</exception>
    public static ServiceProcess Start(string assembly, string workingFolder, TimeSpan startTimeout, params string[] arguments)
    {
        if (!File.Exists(assembly)) throw new FileNotFoundException($"The service is not built at '{assembly}'.", assembly);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var service = new ServiceProcess(process, new Uri("http://127.0.0.1/"));
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            service._output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = Task.WaitAny([listening.Task, exited], startTimeout);
        if (first != 0)
        {
            var why = first == 1 ? $"exited with code {process.ExitCode}" : $"did not listen within {startTimeout}";
            service.Dispose();
            throw new TimeoutException($"The service {why}. Its output:{Environment.NewLine}{service.Log}");
        }
        service.Address = listening.Task.Result;
        return service;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
