using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Extensions.AI;

/// <summary>
/// Micro-batching of concurrent embedding requests: callers put their texts into a bounded queue; one worker takes the
/// first waiting request, then every request that arrives within <c>maxDelay</c> until <c>maxBatchSize</c> texts are
/// gathered, embeds them all in one call (one ONNX Runtime batch when they fit in one), and hands each caller its own
/// rows. If a shared batch fails, each of its requests is run again on its own, so a request that fails fails only its
/// caller. A request whose caller cancels while it waits is skipped; one cancelled while its batch runs has its result
/// dropped.
/// </summary>
internal sealed class EmbeddingBatcher : IDisposable
{
    private readonly BlockEmbedder _embedder;
    private readonly Channel<EmbeddingRequest> _queue;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxDelay;
    private readonly ILogger _logger;
    private readonly EmbedderWorkspace _workspace = new();
    private readonly List<string?> _texts = [];
    private readonly Task _worker;
    private float[] _vectors = [];
    private int[] _tokens = [];
    private EmbeddingRequest? _carried;
    private long _batches;
    private long _embeddedTexts;

    public EmbeddingBatcher(BlockEmbedder embedder, int maxBatchSize, TimeSpan maxDelay, int queueCapacity, ILogger logger)
    {
        _embedder = embedder;
        _maxBatchSize = maxBatchSize;
        _maxDelay = maxDelay;
        _logger = logger;
        _queue = Channel.CreateBounded<EmbeddingRequest>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Batches run so far (shared or single).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Texts embedded so far.</summary>
    public long EmbeddedTexts => Interlocked.Read(ref _embeddedTexts);

    /// <summary>Queues <paramref name="texts"/> and waits for their vectors.</summary>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async Task<EmbeddedTexts> EmbedAsync(string[] texts, CancellationToken cancellationToken)
    {
        var request = new EmbeddingRequest(texts);
        using var registration = cancellationToken.Register(static state =>
        {
            var (r, token) = ((EmbeddingRequest, CancellationToken))state!;
            r.Cancel(token);
        }, (request, cancellationToken));
        try
        {
            await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(TempScaleEmbeddingGenerator));
        }
        return await request.Task.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<EmbeddingRequest>();
        try
        {
            while (_carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var count = Gather(reader, batch, 0);
                if (count < _maxBatchSize && _carried is null && _maxDelay > TimeSpan.Zero)
                {
                    using var timeout = new CancellationTokenSource(_maxDelay);
                    try
                    {
                        while (count < _maxBatchSize && _carried is null && await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                            count = Gather(reader, batch, count);
                    }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                    {
                        // The wait is over: run what has been gathered.
                    }
                }
                if (batch.Count > 0) Run(batch);
                batch.Clear();
            }
        }
        catch (Exception e)
        {
            // Never leave a caller waiting: a fault of the loop itself fails everything queued and closes the queue.
            _logger.LogError(e, "The embedding batcher stopped after an unexpected error.");
            _queue.Writer.TryComplete(e);
            foreach (var r in batch) r.Fail(e);
            _carried?.Fail(e);
            while (reader.TryRead(out var r)) r.Fail(e);
        }
    }

    /// <summary>
    /// Adds waiting requests to <paramref name="batch"/> until it holds <see cref="_maxBatchSize"/> texts; a request that
    /// would overflow a non-empty batch is carried to the next one (a request larger than the limit runs alone).
    /// </summary>
    private int Gather(ChannelReader<EmbeddingRequest> reader, List<EmbeddingRequest> batch, int count)
    {
        if (_carried is { } carried)
        {
            _carried = null;
            if (!carried.IsCompleted)
            {
                batch.Add(carried);
                count += carried.Texts.Length;
            }
        }
        while (count < _maxBatchSize && reader.TryRead(out var request))
        {
            if (request.IsCompleted) continue; // cancelled while it waited
            if (count > 0 && count + request.Texts.Length > _maxBatchSize)
            {
                _carried = request;
                break;
            }
            batch.Add(request);
            count += request.Texts.Length;
        }
        return count;
    }

    private void Run(List<EmbeddingRequest> batch)
    {
        try
        {
            Embed(batch);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            _logger.LogWarning(e, "A shared batch of {Requests} embedding requests failed; running each on its own.", batch.Count);
            foreach (var request in batch)
            {
                if (request.IsCompleted) continue;
                try
                {
                    Embed([request]);
                }
                catch (Exception single)
                {
                    request.Fail(single);
                }
            }
        }
        catch (Exception e)
        {
            batch[0].Fail(e);
        }
    }

    /// <summary>Embeds the texts of <paramref name="requests"/> in one call and completes each request with its rows.</summary>
    private void Embed(IReadOnlyList<EmbeddingRequest> requests)
    {
        _texts.Clear();
        foreach (var r in requests) _texts.AddRange(r.Texts);
        var d = _embedder.Dimension;
        var n = _texts.Count;
        if (_vectors.Length < n * d) _vectors = new float[n * d];
        if (_tokens.Length < n) _tokens = new int[n];
        _embedder.Embed(_texts, _vectors.AsSpan(0, n * d), _tokens, _workspace);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _embeddedTexts, n);

        var offset = 0;
        foreach (var r in requests)
        {
            var k = r.Texts.Length;
            var vectors = _vectors.AsSpan(offset * d, k * d).ToArray();
            long tokens = 0;
            foreach (var t in _tokens.AsSpan(offset, k)) tokens += t;
            r.Complete(new EmbeddedTexts(vectors, tokens));
            offset += k;
        }
    }

    /// <summary>Stops taking requests, lets the worker finish those already queued, and waits for it.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try
        {
            _worker.Wait();
        }
        catch (AggregateException)
        {
            // The worker reports its own faults to the callers and the log.
        }
    }
}
