namespace MlNetIso.Service.Api;

/// <summary>Body of <c>POST /embed</c>: the texts, and whether they are search queries or documents (default).</summary>
public sealed record EmbedRequest(IReadOnlyList<string?>? Texts, string? Kind);
