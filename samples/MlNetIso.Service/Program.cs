using Microsoft.ML;
using MlNetIso.Extensions.AI;
using MlNetIso.Service;
using MlNetIso.Service.Api;
using MlNetIso.Service.Classification;
using MlNetIso.Service.Corpus;

// A line-of-business service over MlNetIso: POST /embed, POST /search (SQLite corpus), POST /classify (I-STAR), GET /health.
// Run: dotnet run -c Release --project samples/MlNetIso.Service -- --urls http://127.0.0.1:5080
var builder = WebApplication.CreateBuilder(args);
// Bad input gets 400 with an RFC 9457 problem-details body: our own checks name the field (Api/Endpoints.cs); a body
// that is not valid JSON is reported with ASP.NET Core's message, which names the parameter it could not read.
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
{
    if (context.Exception is BadHttpRequestException bad) context.ProblemDetails.Detail = bad.Message;
});
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.Configure<ServiceOptions>(builder.Configuration.GetSection("Service"));
builder.Services.Configure<TempScaleEmbeddingGeneratorOptions>(builder.Configuration.GetSection("Embeddings"));
builder.Services.AddTempScaleEmbeddingGenerator();
builder.Services.AddSingleton(new MLContext(seed: 1));
builder.Services.AddSingleton<CorpusIndex>();
builder.Services.AddSingleton<SentimentModel>();

var service = builder.Configuration.GetSection("Service").Get<ServiceOptions>() ?? new ServiceOptions();
var classifierPath = Path.GetFullPath(service.ClassifierPath, builder.Environment.ContentRootPath);
builder.Services.AddPackagedPredictionEnginePool<SentimentInput, SentimentPrediction>(classifierPath);

var app = builder.Build();
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();

// Startup work before the first request: train the classifier if absent, embed the corpus if it changed.
app.Services.GetRequiredService<SentimentModel>().EnsureTrained();
await app.Services.GetRequiredService<CorpusIndex>().BuildAsync(app.Lifetime.ApplicationStopping);
_ = app.Services.GetRequiredService<MlNetIso.Extensions.ML.PackagedPredictionEnginePool<SentimentInput, SentimentPrediction>>();

Endpoints.Map(app);
app.Run();
