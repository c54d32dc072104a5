namespace MlNetIso.Service.Api;

/// <summary>Body of <c>POST /search</c>: the query and how many results to return (default 5).</summary>
public sealed record SearchRequest(string? Query, int? Top);
