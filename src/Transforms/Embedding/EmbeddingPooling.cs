namespace MlNetIso.Transforms.Embedding;

/// <summary>How the token states of an encoder's <c>last_hidden_state</c> become one text vector.</summary>
public enum EmbeddingPooling
{
    /// <summary>Mean of the states of the real (unpadded) tokens, [CLS] and [SEP] included (sentence-transformers' default).</summary>
    Mean,

    /// <summary>The state of the first token, [CLS].</summary>
    Cls,

    /// <summary>Element-wise maximum over the states of the real tokens.</summary>
    Max,
}
