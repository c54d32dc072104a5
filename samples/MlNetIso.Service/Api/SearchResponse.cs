using MlNetIso.Service.Corpus;

namespace MlNetIso.Service.Api;

/// <summary>Answer of <c>POST /search</c>: the best documents, most similar first.</summary>
public sealed record SearchResponse(string Query, IReadOnlyList<SearchHit> Results);
