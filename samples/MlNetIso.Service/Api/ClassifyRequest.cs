namespace MlNetIso.Service.Api;

/// <summary>Body of <c>POST /classify</c>: one sentence.</summary>
public sealed record ClassifyRequest(string? Text);
