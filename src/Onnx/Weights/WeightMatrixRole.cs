namespace MlNetIso.Onnx.Weights;

/// <summary>
/// What a 2-D weight matrix of a transformer does, as read from its parameter name (<see cref="WeightMatrixNaming"/>).
/// </summary>
public enum WeightMatrixRole
{
    /// <summary>None of the roles below could be read from the name.</summary>
    Other,

    /// <summary>An embedding table (word, position or token-type embeddings).</summary>
    Embedding,

    /// <summary>The attention query projection W_Q.</summary>
    Query,

    /// <summary>The attention key projection W_K.</summary>
    Key,

    /// <summary>The attention value projection W_V.</summary>
    Value,

    /// <summary>The attention output projection W_O (after the heads are concatenated).</summary>
    AttentionOutput,

    /// <summary>The first feed-forward matrix (hidden → intermediate, BERT's <c>intermediate.dense</c>).</summary>
    FeedForwardIn,

    /// <summary>The second feed-forward matrix (intermediate → hidden, BERT's <c>output.dense</c>).</summary>
    FeedForwardOut,

    /// <summary>The pooler's dense layer.</summary>
    Pooler,

    /// <summary>An output head: a classifier or language-model head.</summary>
    Head,
}
