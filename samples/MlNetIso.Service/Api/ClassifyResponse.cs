namespace MlNetIso.Service.Api;

/// <summary>Answer of <c>POST /classify</c>: "positive" or "negative", P(positive), and the model version that answered.</summary>
public sealed record ClassifyResponse(string Label, float Probability, int ModelVersion);
