using System.Diagnostics;

namespace MlNetIso.Tests;

/// <summary>The outcome of a load run: request count, failures (with the first few reasons), wall time and latencies.</summary>
public sealed record HttpLoadResult(int Requests, int Errors, IReadOnlyList<string> ErrorSamples, TimeSpan Wall, double[] SortedLatencyMs)
{
    /// <summary>Completed requests per second of wall time.</summary>
    public double Throughput => Requests / Wall.TotalSeconds;

    /// <summary>The <paramref name="q"/>-quantile of the latencies in milliseconds (nearest rank).</summary>
    public double LatencyMs(double q) =>
        SortedLatencyMs.Length == 0 ? double.NaN : SortedLatencyMs[Math.Clamp((int)Math.Ceiling(q * SortedLatencyMs.Length) - 1, 0, SortedLatencyMs.Length - 1)];
}

/// <summary>
/// A bounded closed-loop load generator: <c>clients</c> concurrent loops share a fixed budget of requests, each sending its
/// next request when the previous answer has been read. Every non-2xx answer or transport error counts as an error.
/// </summary>
public static class HttpLoad
{
    public static async Task<HttpLoadResult> RunAsync(HttpClient client, int clients, int requests, Func<int, HttpRequestMessage> request,
        CancellationToken cancellationToken = default)
    {
        var next = -1;
        var latencies = new double[requests];
        var errors = 0;
        var samples = new List<string>();
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var message = request(i);
                    using var response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode) Fail($"{message.Method} {message.RequestUri}: {(int)response.StatusCode}");
                }
                catch (HttpRequestException e)
                {
                    Fail(e.Message);
                }
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(loops).ConfigureAwait(false);
        clock.Stop();
        Array.Sort(latencies);
        return new HttpLoadResult(requests, errors, samples, clock.Elapsed, latencies);

        void Fail(string reason)
        {
            Interlocked.Increment(ref errors);
            lock (samples)
                if (samples.Count < 5) samples.Add(reason);
        }
    }
}
