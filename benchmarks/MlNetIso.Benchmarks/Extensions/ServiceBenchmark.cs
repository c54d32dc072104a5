using System.Globalization;
using System.Net.Http.Json;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Tests;

namespace MlNetIso.Benchmarks.Extensions;

/// <summary>
/// <c>service</c>: throughput and latency of the sample service (samples/MlNetIso.Service) over real HTTP on loopback.
/// The built service runs as its own process in a fresh folder (first start: it trains the classifier and indexes the
/// corpus); then each endpoint, and a mix of them, gets a warm-up and a measured closed-loop run of many concurrent clients.
/// </summary>
internal static class ServiceBenchmark
{
    public static int Run(string[] argv)
    {
        var args = new BenchmarkArguments(argv);
        var model = args.Value("--model") ?? "all-MiniLM-L6-v2";
        var clients = args.Int("--clients", 64);
        var requests = args.Int("--requests", 2000);
        var corpus = args.Int("--corpus", 5000);
        var training = args.Int("--training", 4000);
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var inv = CultureInfo.InvariantCulture;

        var folder = Path.Combine(Path.GetTempPath(), "mlnetiso-service-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        Console.WriteLine($"# service ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC): model {model}, corpus {corpus} documents, classifier trained on {training} " +
                          $"sentences; {clients} concurrent clients, {requests} measured requests per run after {requests / 4} warm-up requests");
        Console.WriteLine($"# {MachineInfo.Describe()}; load average at start {MachineInfo.LoadAverage()}");
        try
        {
            var started = DateTime.UtcNow;
            using var service = ServiceProcess.Start(ServiceProcess.BuiltAssembly(RepoPaths.Root, configuration), folder, TimeSpan.FromMinutes(30),
                $"--Embeddings:Model={model}", $"--Service:CorpusDocuments={corpus}", $"--Service:TrainingExamples={training}",
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
            Console.WriteLine(string.Create(inv, $"# first start (train + index): {(DateTime.UtcNow - started).TotalSeconds:0} s"));
            using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromMinutes(2) };
            var sentences = File.ReadLines(Path.Combine(RepoPaths.Root, "data", "rt-sentence-polarity-v1", "rt-polarity.pos"))
                .Where(l => l.Length > 0).Take(1000).ToArray();

            HttpRequestMessage Embed(int i) => new(HttpMethod.Post, "/embed") { Content = JsonContent.Create(new { texts = new[] { sentences[i % sentences.Length] } }) };
            HttpRequestMessage Search(int i) => new(HttpMethod.Post, "/search") { Content = JsonContent.Create(new { query = sentences[i % sentences.Length], top = 5 }) };
            HttpRequestMessage Classify(int i) => new(HttpMethod.Post, "/classify") { Content = JsonContent.Create(new { text = sentences[i % sentences.Length] }) };
            HttpRequestMessage Mixed(int i) => (i % 10) switch { < 4 => Embed(i), < 7 => Search(i), _ => Classify(i) };

            Console.WriteLine();
            Console.WriteLine("| endpoint | requests/s | p50 ms | p99 ms | errors | service CPU s | service RSS MiB after |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var (name, make) in new (string, Func<int, HttpRequestMessage>)[]
                     {
                         ("POST /embed (1 text)", Embed), ("POST /search (top 5)", Search), ("POST /classify", Classify),
                         ("mixed 40/30/30", Mixed),
                     })
            {
                HttpLoad.RunAsync(client, clients, requests / 4, make).Wait();
                var cpu = service.ProcessorTime();
                var result = HttpLoad.RunAsync(client, clients, requests, make).Result;
                var cpuUsed = (service.ProcessorTime() - cpu).TotalSeconds;
                Console.WriteLine(string.Create(inv,
                    $"| {name} | {result.Throughput:0.0} | {result.LatencyMs(0.5):0.0} | {result.LatencyMs(0.99):0.0} | {result.Errors} | {cpuUsed:0.0} | {service.ResidentBytes() >> 20} |"));
                if (result.Errors > 0) Console.WriteLine($"# errors: {string.Join("; ", result.ErrorSamples)}");
            }
            Console.WriteLine($"# load average at end {MachineInfo.LoadAverage()}");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
