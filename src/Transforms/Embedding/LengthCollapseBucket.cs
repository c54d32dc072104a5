namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// One token-length bucket of a <see cref="LengthCollapseTable"/>: texts whose token count n (with [CLS] and [SEP],
/// before truncation) satisfies <see cref="MinTokens"/> ≤ n &lt; <see cref="MaxTokensExclusive"/>.
/// </summary>
/// <param name="MinTokens">Smallest token count of the bucket.</param>
/// <param name="MaxTokensExclusive">First token count of the next bucket.</param>
/// <param name="Count">Number of texts in the bucket.</param>
/// <param name="MeanCosine">
/// Mean pairwise cosine similarity of the bucket's embeddings, one value per temperature of the table (same order);
/// NaN when the bucket holds fewer than two texts.
/// </param>
public sealed record LengthCollapseBucket(int MinTokens, int MaxTokensExclusive, int Count, IReadOnlyList<double> MeanCosine);
