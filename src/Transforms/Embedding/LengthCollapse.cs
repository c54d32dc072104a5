using Microsoft.ML;
using MlNetIso.Geometry;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Measures length collapse: buckets texts by token length and reports, per bucket and per attention temperature τ,
/// the mean pairwise cosine similarity of their embeddings (exact, O(md) per bucket via
/// <see cref="AverageCosine.Exact"/>). See <see cref="LengthCollapseTable"/>.
/// </summary>
public static class LengthCollapse
{
    /// <summary>Default bucket width, in tokens.</summary>
    public const int DefaultBucketWidth = 100;

    /// <summary>
    /// Embeds <paramref name="texts"/> with the TempScale transform configured by <paramref name="options"/> once per
    /// temperature (its <see cref="TempScaleEmbeddingOptions.Temperature"/> is replaced by each τ) and tabulates the mean
    /// pairwise cosine per token-length bucket. Token length is the full [CLS] … [SEP] count before truncation (a prompt the options or the model add included).
    /// </summary>
    /// <param name="texts">The texts; null entries are embedded as the empty text.</param>
    /// <param name="options">Encoder settings shared by every τ.</param>
    /// <param name="temperatures">The temperatures to compare (at least one, each &gt; 0 and finite).</param>
    /// <param name="bucketWidth">Bucket width in tokens (default 100).</param>
    public static LengthCollapseTable Measure(IReadOnlyList<string?> texts, TempScaleEmbeddingOptions options,
        IReadOnlyList<float> temperatures, int bucketWidth = DefaultBucketWidth)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(temperatures);
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextInput { Text = t ?? "" }).ToList());
        int[]? lengths = null;
        var byTemperature = new Dictionary<float, IReadOnlyList<float[]>>();
        foreach (var t in temperatures.Distinct())
        {
            var perTemperature = options.Clone();
            perTemperature.Temperature = t;
            using var transformer = new TempScaleEmbeddingEstimator("Embedding", nameof(TextInput.Text), perTemperature).Fit(data);
            lengths ??= texts.Select(text => transformer.Embedder.Tokenizer.Encode(transformer.Embedder.Prefixed(text), int.MaxValue).Length).ToArray();
            byTemperature[t] = ml.Data.CreateEnumerable<EmbeddingOutput>(transformer.Transform(data), reuseRowObject: false)
                .Select(r => r.Embedding).ToList();
        }
        return Measure(lengths ?? [], temperatures, t => byTemperature[t], bucketWidth);
    }

    /// <summary>
    /// Tabulates the mean pairwise cosine per token-length bucket for embeddings supplied by
    /// <paramref name="embedAt"/>: called once per temperature, it returns one embedding per text, in the order of
    /// <paramref name="tokenLengths"/>. Text i falls in bucket ⌊tokenLengths[i] / bucketWidth⌋.
    /// </summary>
    /// <param name="tokenLengths">Token count of every text (≥ 0).</param>
    /// <param name="temperatures">The temperatures, in the order of the table's columns.</param>
    /// <param name="embedAt">Embeddings of all texts at a temperature.</param>
    /// <param name="bucketWidth">Bucket width in tokens (≥ 1).</param>
    public static LengthCollapseTable Measure(IReadOnlyList<int> tokenLengths, IReadOnlyList<float> temperatures,
        Func<float, IReadOnlyList<float[]>> embedAt, int bucketWidth = DefaultBucketWidth)
    {
        ArgumentNullException.ThrowIfNull(tokenLengths);
        ArgumentNullException.ThrowIfNull(temperatures);
        ArgumentNullException.ThrowIfNull(embedAt);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketWidth, 1);
        if (temperatures.Count == 0)
            throw new ArgumentException("At least one temperature is needed.", nameof(temperatures));
        foreach (var t in temperatures)
            if (!(t > 0f) || !float.IsFinite(t))
                throw new ArgumentOutOfRangeException(nameof(temperatures), t, "Every temperature must be finite and greater than 0.");
        for (var i = 0; i < tokenLengths.Count; i++)
            if (tokenLengths[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(tokenLengths), tokenLengths[i], $"Token length of text {i} is negative.");

        var buckets = tokenLengths.Select((n, i) => (Bucket: n / bucketWidth, Index: i))
            .GroupBy(x => x.Bucket, x => x.Index)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, Members: g.ToArray()))
            .ToList();
        var cosines = buckets.Select(_ => new double[temperatures.Count]).ToList();
        for (var k = 0; k < temperatures.Count; k++)
        {
            var embeddings = embedAt(temperatures[k])
                             ?? throw new InvalidOperationException($"No embeddings were returned for τ = {temperatures[k]}.");
            if (embeddings.Count != tokenLengths.Count)
                throw new InvalidOperationException(
                    $"{embeddings.Count} embeddings were returned for τ = {temperatures[k]}, but there are {tokenLengths.Count} texts.");
            for (var b = 0; b < buckets.Count; b++)
            {
                var members = buckets[b].Members;
                cosines[b][k] = members.Length < 2 ? double.NaN : AverageCosine.Exact(members.Select(i => embeddings[i]).ToList());
            }
        }
        var rows = buckets.Select((g, b) =>
            new LengthCollapseBucket(g.Key * bucketWidth, (g.Key + 1) * bucketWidth, g.Members.Length, cosines[b])).ToList();
        return new LengthCollapseTable(bucketWidth, temperatures.ToList(), rows);
    }

    private sealed class TextInput
    {
        public string Text { get; set; } = "";
    }

    private sealed class EmbeddingOutput
    {
        public float[] Embedding { get; set; } = [];
    }
}
