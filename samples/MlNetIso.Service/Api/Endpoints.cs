using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using MlNetIso.Extensions.AI;
using MlNetIso.Extensions.ML;
using MlNetIso.Service.Classification;
using MlNetIso.Service.Corpus;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Service.Api;

/// <summary>The service's HTTP API. Bad input is answered with 400 and an RFC 9457 problem-details body naming the field.</summary>
public static class Endpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/embed", EmbedAsync);
        app.MapPost("/search", SearchAsync);
        app.MapPost("/classify", Classify);
        app.MapGet("/health", Health);
    }

    private static async Task<IResult> EmbedAsync(EmbedRequest? request, IEmbeddingGenerator<string, Embedding<float>> generator,
        IOptions<ServiceOptions> options, CancellationToken cancellationToken)
    {
        if (request?.Texts is not { Count: > 0 } texts)
            return Problem("'texts' must be a non-empty array of strings.");
        var limits = options.Value;
        if (texts.Count > limits.MaxTextsPerRequest)
            return Problem($"'texts' holds {texts.Count} texts; at most {limits.MaxTextsPerRequest} are accepted per request.");
        for (var i = 0; i < texts.Count; i++)
        {
            if (TextProblem(texts[i], $"texts[{i}]", limits) is { } problem) return problem;
        }
        EmbeddingTextKind kind;
        switch (request.Kind?.ToLowerInvariant())
        {
            case null or "document":
                kind = EmbeddingTextKind.Document;
                break;
            case "query":
                kind = EmbeddingTextKind.Query;
                break;
            default:
                return Problem($"'kind' is '{request.Kind}'; it must be \"query\" or \"document\".");
        }
        var embeddings = await generator.GenerateAsync(texts!, new EmbeddingGenerationOptions().WithTextKind(kind), cancellationToken);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        return TypedResults.Ok(new EmbedResponse(metadata.DefaultModelId!, metadata.DefaultModelDimensions ?? 0,
            embeddings.Select(e => e.Vector.ToArray()).ToArray(), embeddings.Usage?.InputTokenCount));
    }

    private static async Task<IResult> SearchAsync(SearchRequest? request, CorpusIndex corpus, IOptions<ServiceOptions> options,
        CancellationToken cancellationToken)
    {
        if (TextProblem(request?.Query, "query", options.Value) is { } problem) return problem;
        var top = request!.Top ?? 5;
        if (top is < 1 or > 100) return Problem($"'top' is {top}; it must be between 1 and 100.");
        var hits = await corpus.SearchAsync(request.Query!, Math.Min(top, corpus.Count), cancellationToken);
        return TypedResults.Ok(new SearchResponse(request.Query!, hits));
    }

    private static IResult Classify(ClassifyRequest? request, PackagedPredictionEnginePool<SentimentInput, SentimentPrediction> pool,
        IOptions<ServiceOptions> options)
    {
        if (TextProblem(request?.Text, "text", options.Value) is { } problem) return problem;
        using var lease = pool.Rent();
        var prediction = lease.Predict(new SentimentInput { Text = request!.Text! });
        return TypedResults.Ok(new ClassifyResponse(prediction.PredictedLabel ? "positive" : "negative", prediction.Probability, lease.ModelVersion));
    }

    private static IResult Health(TempScaleEmbeddingGenerator generator, CorpusIndex corpus,
        PackagedPredictionEnginePool<SentimentInput, SentimentPrediction> pool)
    {
        using var process = Process.GetCurrentProcess();
        return TypedResults.Ok(new HealthResponse("healthy", generator.ModelId, generator.Dimensions, corpus.Count, pool.ModelVersion,
            pool.LastReloadError?.Message, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false),
            (DateTime.Now - process.StartTime).TotalSeconds));
    }

    private static IResult? TextProblem(string? text, string field, ServiceOptions limits)
    {
        if (text is null) return Problem($"'{field}' is missing; a non-empty string is expected.");
        if (string.IsNullOrWhiteSpace(text)) return Problem($"'{field}' is empty; a non-empty string is expected.");
        if (text.Length > limits.MaxTextLength)
            return Problem($"'{field}' has {text.Length} characters; at most {limits.MaxTextLength} are accepted.");
        return null;
    }

    private static IResult Problem(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.");
}
