using System.Globalization;
using System.Text.Json;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// What determines a cached embedding set: the encoder file (by SHA-256), τ, pooling, long-text mode, MaxTokens, chunk
/// overlap and the exact texts (by SHA-256). Two runs with equal keys compute the same vectors.
/// </summary>
internal sealed record EmbeddingCacheKey(
    string ModelName,
    string ModelSha256,
    float Temperature,
    EmbeddingPooling Pooling,
    LongTextMode LongText,
    int MaxTokens,
    int ChunkOverlap,
    string TextSetName,
    string TextSetSha256)
{
    /// <summary>Format version of the cache files; bump it when the file layout or the embedding pipeline changes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Relative path of the cache file: model/text-set/mode-maxtokens-pooling-τ.emb (readable, and unique per key).</summary>
    public string RelativePath => Path.Combine(
        $"{ModelName}-{ModelSha256[..12]}",
        $"{TextSetName}-{TextSetSha256[..12]}",
        string.Create(CultureInfo.InvariantCulture,
            $"{LongText.ToString().ToLowerInvariant()}{(LongText == LongTextMode.Chunk ? $"{ChunkOverlap}" : "")}-{MaxTokens}-" +
            $"{Pooling.ToString().ToLowerInvariant()}-t{Temperature:0.#####}.emb"));

    /// <summary>The header line stored in the file; a file whose header differs is not used.</summary>
    public string Header() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["format"] = FormatVersion,
        ["model"] = ModelName,
        ["model_sha256"] = ModelSha256,
        ["temperature"] = Temperature.ToString("R", CultureInfo.InvariantCulture),
        ["pooling"] = Pooling.ToString(),
        ["long_text"] = LongText.ToString(),
        ["max_tokens"] = MaxTokens,
        ["chunk_overlap"] = ChunkOverlap,
        ["text_set"] = TextSetName,
        ["text_set_sha256"] = TextSetSha256,
    });
}
