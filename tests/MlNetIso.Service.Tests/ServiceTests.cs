using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MlNetIso.Service.Tests;

/// <summary>The sample service over real HTTP on loopback: every endpoint, problem details for bad input, and a bounded load test.</summary>
public sealed class ServiceTests(RunningService service) : IClassFixture<RunningService>
{
    private HttpClient Client => service.Client;

    private async Task<JsonElement> PostOk(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static float[] Vector(JsonElement element) => element.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    [Fact]
    public async Task Health_ReportsWhatIsLoaded()
    {
        var health = JsonDocument.Parse(await Client.GetStringAsync("/health")).RootElement;
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("mlnetiso-mini", health.GetProperty("embeddingModel").GetString());
        Assert.Equal(128, health.GetProperty("dimensions").GetInt32());
        Assert.Equal(500, health.GetProperty("documents").GetInt32());
        Assert.Equal(1, health.GetProperty("classifierVersion").GetInt32());
        Assert.True(health.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(File.Exists(Path.Combine(service.Folder, "corpus.db")), "the corpus database was not created");
        Assert.True(File.Exists(Path.Combine(service.Folder, "sentiment.zip")), "the classifier was not trained and saved at the first start");
    }

    [Fact]
    public async Task Embed_ReturnsOneUnitVectorPerText_TheSameEachTime()
    {
        var first = await PostOk("/embed", new { texts = new[] { "a fine film", "a dull film" } });
        Assert.Equal("mlnetiso-mini", first.GetProperty("model").GetString());
        var vectors = first.GetProperty("embeddings").EnumerateArray().Select(Vector).ToArray();
        Assert.Equal(2, vectors.Length);
        Assert.All(vectors, v =>
        {
            Assert.Equal(128, v.Length);
            Assert.InRange(Math.Sqrt(v.Sum(x => (double)x * x)), 0.999, 1.001);
        });
        Assert.True(first.GetProperty("inputTokens").GetInt64() >= 8);

        var again = await PostOk("/embed", new { texts = new[] { "a dull film" }, kind = "query" });
        Assert.Equal(vectors[1], Vector(again.GetProperty("embeddings")[0]));
    }

    [Fact]
    public async Task Search_FindsADocumentByItsOwnText_BestFirst()
    {
        var corpusFile = Path.Combine(TestPaths.RepoRoot, "data", "subjectivity-v1", "plot.tok.gt9.5000");
        var document = File.ReadLines(corpusFile).Where(l => l.Trim().Length > 0).Skip(41).First();
        var result = await PostOk("/search", new { query = document, top = 3 });
        var hits = result.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(3, hits.Length);
        Assert.Equal(42, hits[0].GetProperty("id").GetInt64());
        Assert.Equal(document, hits[0].GetProperty("text").GetString());
        Assert.InRange(hits[0].GetProperty("score").GetSingle(), 0.999f, 1.001f);
        var scores = hits.Select(h => h.GetProperty("score").GetSingle()).ToArray();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task Classify_AnswersWithALabelMatchingItsProbability()
    {
        foreach (var text in new[] { "a wonderful, moving and funny film", "a boring, tedious mess" })
        {
            var answer = await PostOk("/classify", new { text });
            var probability = answer.GetProperty("probability").GetSingle();
            Assert.InRange(probability, 0f, 1f);
            Assert.Equal(probability > 0.5f ? "positive" : "negative", answer.GetProperty("label").GetString());
            Assert.Equal(1, answer.GetProperty("modelVersion").GetInt32());
        }
    }

    [Theory]
    [InlineData("/embed", """{"texts":[]}""", "'texts' must be a non-empty array")]
    [InlineData("/embed", """{"texts":["ok", null]}""", "'texts[1]' is missing")]
    [InlineData("/embed", """{"texts":["ok", "  "]}""", "'texts[1]' is empty")]
    [InlineData("/embed", """{"texts":["ok"],"kind":"question"}""", "'kind' is 'question'")]
    [InlineData("/embed", """{"texts":["ok"}""", "from the request body as JSON")]
    [InlineData("/search", """{"query":"love","top":0}""", "'top' is 0")]
    [InlineData("/search", """{}""", "'query' is missing")]
    [InlineData("/search", "", "'query' is missing")]
    [InlineData("/classify", """{"text":""}""", "'text' is empty")]
    [InlineData("/classify", """{"text":42}""", "from the request body as JSON")]
    public async Task BadInput_Gets400ProblemDetailsNamingTheField(string path, string body, string expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TooManyTexts_AreRefused()
    {
        using var response = await Client.PostAsJsonAsync("/embed", new { texts = Enumerable.Repeat("x", 65).ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 64", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LoadTest_64Clients_ZeroErrors_FlatMemory()
    {
        string[] sentences =
        [
            "a gripping, beautifully shot film", "the plot drags and the jokes fall flat", "two hours of noise",
            "a documentary that trusts its audience", "the best performance of her career", "i laughed, i cried",
        ];
        HttpRequestMessage Request(int i)
        {
            var text = sentences[i % sentences.Length] + " " + (i % 97);
            return (i % 10) switch
            {
                < 4 => new HttpRequestMessage(HttpMethod.Post, "/embed") { Content = JsonContent.Create(new { texts = new[] { text } }) },
                < 7 => new HttpRequestMessage(HttpMethod.Post, "/search") { Content = JsonContent.Create(new { query = text, top = 5 }) },
                _ => new HttpRequestMessage(HttpMethod.Post, "/classify") { Content = JsonContent.Create(new { text }) },
            };
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var warmUp = await HttpLoad.RunAsync(Client, 64, 1000, Request, cancel.Token);
        var afterWarmUp = service.Process.ResidentBytes();
        var load = await HttpLoad.RunAsync(Client, 64, 2000, Request, cancel.Token);
        var afterLoad = service.Process.ResidentBytes();

        Assert.True(warmUp.Errors == 0,
            $"{warmUp.Errors} errors in the warm-up: {string.Join("; ", warmUp.ErrorSamples)}{Environment.NewLine}{service.Process.Log}");
        Assert.True(load.Errors == 0, $"{load.Errors} errors under load: {string.Join("; ", load.ErrorSamples)}");
        Assert.False(service.Process.HasExited, $"the service died under load:{Environment.NewLine}{service.Process.Log}");
        var growth = afterLoad - afterWarmUp;
        Assert.True(growth < Math.Max(64L << 20, afterWarmUp / 5),
            $"resident memory grew from {afterWarmUp >> 20} MiB to {afterLoad >> 20} MiB over 2,000 requests after a 1,000-request warm-up");
        var health = JsonDocument.Parse(await Client.GetStringAsync("/health")).RootElement;
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }
}
