namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// What the embedded texts are, for models trained with an instruction in front of one kind of text (asymmetric
/// retrieval models such as snowflake-arctic-embed, whose queries start with
/// <c>Represent this sentence for searching relevant passages: </c>). The prompt of each kind is read from the model
/// folder's <c>config_sentence_transformers.json</c> (<c>prompts</c>), as sentence-transformers does with its
/// <c>prompt_name</c> argument.
/// </summary>
public enum EmbeddingTextKind
{
    /// <summary>Documents, passages or plain sentences: the folder's <c>document</c> (else <c>passage</c>) prompt, usually none.</summary>
    Document,

    /// <summary>Search queries: the folder's <c>query</c> prompt.</summary>
    Query,
}
