namespace MlNetIso.Benchmarks.Encoder;

/// <summary>One set of texts the encoder benchmark embeds, and the token limit it is embedded with.</summary>
/// <param name="Name">Short name for the tables.</param>
/// <param name="Texts">The texts, in a fixed order.</param>
/// <param name="MaxTokens">MaxTokens of the transform and the baselines ([CLS]/[SEP] included); longer texts are truncated.</param>
internal sealed record EncoderWorkload(string Name, IReadOnlyList<string> Texts, int MaxTokens)
{
    /// <summary>Token counts after truncation ([CLS]/[SEP] included), in text order.</summary>
    public int[] TokenCounts(MlNetIso.Transforms.Embedding.Tokenization.BertTextTokenizer tokenizer) =>
        Texts.Select(t => tokenizer.Encode(t, MaxTokens).Length).ToArray();
}
