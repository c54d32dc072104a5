using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using MlNetIso.Extensions.AI;

namespace MlNetIso.Extensions.Tests.AI;

/// <summary>Concurrent requests share ONNX Runtime batches, get their own rows back, fail alone and can be cancelled.</summary>
public sealed class MicroBatchingTests(TempModelCache cache) : IClassFixture<TempModelCache>
{
    private TempScaleEmbeddingGeneratorOptions Options(int maxBatchSize, TimeSpan delay, bool microBatching = true) => new()
    {
        Model = cache.Folder("mlnetiso-mini"),
        MaxBatchSize = maxBatchSize,
        MaxBatchDelay = delay,
        MicroBatching = microBatching,
    };

    private static string[] Texts(int count) =>
        Enumerable.Range(0, count).Select(i => $"{TestTexts.Reviews[i % TestTexts.Reviews.Length]} (review {i})").ToArray();

    [Fact]
    public async Task ConcurrentCallers_ShareBatchesAndEachGetsItsOwnVector()
    {
        var texts = Texts(32);
        using var unbatched = new TempScaleEmbeddingGenerator(Options(32, TimeSpan.Zero, microBatching: false));
        var expected = await unbatched.GenerateAsync(texts);

        var calls = new ConcurrentBag<int>();
        using var generator = new TempScaleEmbeddingGenerator(Options(32, TimeSpan.FromMilliseconds(200)), inner => (block, output, workspace) =>
        {
            calls.Add(block.Count);
            inner(block, output, workspace);
        });
        using var start = new ManualResetEventSlim();
        var callers = texts.Select(t => Task.Run(async () =>
        {
            start.Wait();
            return await generator.GenerateVectorAsync(t);
        })).ToArray();
        start.Set();
        var vectors = await Task.WhenAll(callers);

        for (var i = 0; i < texts.Length; i++)
            TestTexts.AssertClose(expected[i].Vector, vectors[i], 2e-5, $"caller {i}");
        Assert.Equal(32, calls.Sum());
        Assert.Equal(calls.Count, generator.BatchesRun);
        Assert.True(calls.Count < 32, $"32 concurrent single-text requests ran in {calls.Count} batches; some should have been shared.");
        Assert.True(calls.Max() > 1);
    }

    [Fact]
    public async Task WithoutMicroBatching_ConcurrentCallersRunOnTheirOwnThreads_AndGetTheirOwnVectors()
    {
        var texts = Texts(24);
        using var generator = new TempScaleEmbeddingGenerator(Options(32, TimeSpan.Zero, microBatching: false));
        var expected = new List<ReadOnlyMemory<float>>();
        foreach (var t in texts) expected.Add(await generator.GenerateVectorAsync(t));
        var vectors = await Task.WhenAll(texts.Select(t => Task.Run(() => generator.GenerateVectorAsync(t))));
        for (var i = 0; i < texts.Length; i++)
            TestTexts.AssertClose(expected[i], vectors[i], 1e-6, $"caller {i}");
        Assert.Equal(0, generator.BatchesRun);
    }

    [Fact]
    public async Task BatchesNeverExceedMaxBatchSize_AndALargeRequestRunsAlone()
    {
        var calls = new ConcurrentBag<int>();
        using var generator = new TempScaleEmbeddingGenerator(Options(4, TimeSpan.FromMilliseconds(50)), inner => (block, output, workspace) =>
        {
            calls.Add(block.Count);
            inner(block, output, workspace);
        });
        var requests = Enumerable.Range(0, 6).Select(i => generator.GenerateAsync(Texts(3).Select(t => t + i))).ToList();
        requests.Add(generator.GenerateAsync(Texts(10)));
        var results = await Task.WhenAll(requests);

        Assert.All(results.Take(6), r => Assert.Equal(3, r.Count));
        Assert.Equal(10, results[6].Count);
        Assert.Equal(28, calls.Sum());
        Assert.All(calls.Where(c => c != 10), c => Assert.True(c <= 4, $"a shared batch held {c} texts; the limit is 4"));
        Assert.Contains(10, calls);
    }

    [Fact]
    public async Task AFailingRequest_FailsOnlyItsCaller()
    {
        using var generator = new TempScaleEmbeddingGenerator(Options(32, TimeSpan.FromMilliseconds(200)), inner => (block, output, workspace) =>
        {
            if (block.Any(t => t!.Contains("POISON", StringComparison.Ordinal)))
                throw new InvalidOperationException("the encoder rejected a poisoned text");
            inner(block, output, workspace);
        });
        using var reference = new TempScaleEmbeddingGenerator(Options(32, TimeSpan.Zero, microBatching: false));
        var texts = Texts(8);
        texts[5] = "POISON " + texts[5];

        using var start = new ManualResetEventSlim();
        var callers = texts.Select(t => Task.Run(async () =>
        {
            start.Wait();
            return await generator.GenerateVectorAsync(t);
        })).ToArray();
        start.Set();
        try
        {
            await Task.WhenAll(callers);
        }
        catch (InvalidOperationException)
        {
            // Examined per caller below.
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => callers[5]);
        Assert.Contains("poisoned", error.Message);
        for (var i = 0; i < texts.Length; i++)
        {
            if (i == 5) continue;
            Assert.True(callers[i].IsCompletedSuccessfully, $"caller {i} failed with {callers[i].Exception}");
            TestTexts.AssertClose(await reference.GenerateVectorAsync(texts[i]), await callers[i], 2e-5, $"caller {i}");
        }
    }

    [Fact]
    public async Task ARequestCancelledWhileQueued_IsNeverRun()
    {
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var embedded = new ConcurrentBag<string>();
        using var generator = new TempScaleEmbeddingGenerator(Options(1, TimeSpan.Zero), inner => (block, output, workspace) =>
        {
            running.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            foreach (var t in block) embedded.Add(t!);
            inner(block, output, workspace);
        });

        var first = generator.GenerateVectorAsync("first");
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)), "the first batch never started");
        using var cancel = new CancellationTokenSource();
        var second = generator.GenerateVectorAsync("second", cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);

        release.Set();
        Assert.Equal(128, (await first).Length);
        var third = await generator.GenerateVectorAsync("third");
        Assert.Equal(128, third.Length);
        Assert.DoesNotContain("second", embedded);
        Assert.Equal(["first", "third"], embedded.Order());
    }

    [Fact]
    public async Task ARequestCancelledWhileItsBatchRuns_CompletesAsCancelledAtOnce()
    {
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var generator = new TempScaleEmbeddingGenerator(Options(8, TimeSpan.Zero), inner => (block, output, workspace) =>
        {
            running.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            inner(block, output, workspace);
        });
        using var cancel = new CancellationTokenSource();
        var request = generator.GenerateVectorAsync("slow", cancellationToken: cancel.Token);
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        release.Set();
        Assert.Equal(128, (await generator.GenerateVectorAsync("next")).Length);
    }
}
