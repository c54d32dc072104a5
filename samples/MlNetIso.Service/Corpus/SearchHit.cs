namespace MlNetIso.Service.Corpus;

/// <summary>One search result: the document's id and text, and its cosine similarity to the query.</summary>
public sealed record SearchHit(long Id, string Text, float Score);
