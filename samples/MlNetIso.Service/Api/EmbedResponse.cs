namespace MlNetIso.Service.Api;

/// <summary>Answer of <c>POST /embed</c>: one vector per text, in request order.</summary>
public sealed record EmbedResponse(string Model, int Dimensions, IReadOnlyList<float[]> Embeddings, long? InputTokens);
