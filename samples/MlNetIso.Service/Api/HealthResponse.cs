namespace MlNetIso.Service.Api;

/// <summary>Answer of <c>GET /health</c>: what is loaded, and the process's memory.</summary>
public sealed record HealthResponse(
    string Status,
    string EmbeddingModel,
    int Dimensions,
    int Documents,
    int ClassifierVersion,
    string? ClassifierReloadError,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    double UptimeSeconds);
