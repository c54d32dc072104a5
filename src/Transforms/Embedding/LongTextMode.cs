namespace MlNetIso.Transforms.Embedding;

/// <summary>What to do with a text longer than <see cref="TempScaleEmbeddingOptions.MaxTokens"/>.</summary>
public enum LongTextMode
{
    /// <summary>Keep the first <c>MaxTokens</c> tokens ([CLS] and [SEP] included) and drop the rest.</summary>
    Truncate,

    /// <summary>
    /// Split the text into overlapping windows of at most <c>MaxTokens</c> tokens (each with its own [CLS]/[SEP]),
    /// embed every window and average the window embeddings weighted by their token counts: e = Σ nₖ·eₖ / Σ nₖ.
    /// Cost grows linearly with the text length.
    /// </summary>
    Chunk,
}
