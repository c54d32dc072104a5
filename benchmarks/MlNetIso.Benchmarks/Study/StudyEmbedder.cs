using System.Diagnostics;
using System.Globalization;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Embeds text sets with the TempScale embedding transform (through an ML.NET cursor, <see cref="TransformRunner"/>),
/// L2-normalised, BatchSize 32, and keeps every result in the <see cref="EmbeddingCache"/>: a set is computed once
/// per key and read back in milliseconds by every later analysis. Prints one line per set (cached, or computed with
/// wall and CPU time and the load average).
/// </summary>
internal sealed class StudyEmbedder(StudyEncoder encoder, EmbeddingCache cache, int threads, int chunkOverlap = 64)
{
    /// <summary>The encoder.</summary>
    public StudyEncoder Encoder => encoder;

    /// <summary>The cache key of one embedding set.</summary>
    public EmbeddingCacheKey Key(TextSet texts, float temperature, LongTextMode mode, int maxTokens) =>
        new(encoder.Name, encoder.Sha256, temperature, encoder.Pooling, mode, maxTokens, chunkOverlap, texts.Name, texts.Sha256);

    /// <summary>True when the set is already cached.</summary>
    public bool IsCached(TextSet texts, float temperature, LongTextMode mode, int maxTokens) =>
        File.Exists(cache.PathOf(Key(texts, temperature, mode, maxTokens)));

    /// <summary>The embeddings of <paramref name="texts"/> at τ = <paramref name="temperature"/>, from the cache or computed and cached.</summary>
    public EmbeddingMatrix Embed(TextSet texts, float temperature, LongTextMode mode, int maxTokens)
    {
        var key = Key(texts, temperature, mode, maxTokens);
        if (cache.TryRead(key, texts.Count) is { } cached) return cached;

        var inv = CultureInfo.InvariantCulture;
        var load = MachineInfo.LoadAverage();
        var wall = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var runner = new TransformRunner(new TempScaleEmbeddingOptions
        {
            ModelPath = encoder.ModelPath,
            Temperature = temperature,
            Pooling = encoder.Pooling,
            Normalize = true,
            MaxTokens = maxTokens,
            LongText = mode,
            ChunkOverlap = chunkOverlap,
            BatchSize = 32,
            IntraOpThreads = threads,
        });
        var matrix = new EmbeddingMatrix(runner.Embed(texts.Texts), texts.Count, runner.Dimension);
        cache.Write(key, matrix);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(inv,
            $"  embedded {texts.Name} ({texts.Count} texts) with {encoder.Name}, τ = {temperature}, {mode}, MaxTokens {maxTokens}: " +
            $"{wall.Elapsed.TotalSeconds:0} s wall, {cpuSeconds:0} s CPU, {runner.Transformer.RewrittenSites} softmaxes rewritten; " +
            $"load average {load} → {MachineInfo.LoadAverage()}; {DateTime.UtcNow:HH:mm} UTC"));
        return matrix;
    }
}
