using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML;
using MlNetIso.Transforms.Embedding;
using Xunit.Abstractions;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// The done-when of the built-in encoders: <c>ApplyTempScaleEmbedding</c> with <c>ModelPath = "all-MiniLM-L6-v2"</c>
/// gives sentence-transformers' embedding (mean pooling, L2, 256 tokens) of real and tricky texts, with and without
/// TempScale, and <c>"snowflake-arctic-embed-xs"</c> its CLS embedding, with the query prompt for queries.
/// </summary>
/// <remarks>
/// The reference (Fixtures/builtin-reference.json, made by Fixtures/builtin_reference.py) shares no code with the
/// transform: Hugging Face's BertTokenizer rules in Python (checked against Hugging Face's own ids), a float64 PyTorch
/// BERT forward with softmax((QKᵀ/√d)/τ), sentence-transformers' pooling, one unpadded text at a time. The transform
/// runs ONNX Runtime on the package's model.onnx (TempScale-rewritten for τ ≠ 1) in length-sorted, padded batches.
/// The names resolve through the default model cache, as they do for a user.
/// </remarks>
public sealed class BuiltInEncoderEmbeddingTests(ITestOutputHelper output)
{
    /// <summary>Largest allowed |transform − reference| per coordinate of the unit-length embeddings.</summary>
    private const double Tolerance = 1e-5;

    private const string ArcticQueryPrompt = "Represent this sentence for searching relevant passages: ";

    private sealed record Reference(string Name, string Text, int[] Ids256, float[] MiniLm, float[] MiniLmTau08, float[] ArcticDocument, float[]? ArcticQuery);

    private static readonly IReadOnlyList<Reference> References = LoadReferences();

    [Theory]
    [InlineData(1f)]
    [InlineData(0.8f)]
    public void AllMiniLmByName_IsSentenceTransformersMeanL2Embedding(float temperature)
    {
        var (transformer, actual) = Embed(new TempScaleEmbeddingOptions { ModelPath = "all-MiniLM-L6-v2", Temperature = temperature, BatchSize = 4 },
            References.Select(r => r.Text));
        using (transformer)
        {
            Assert.Equal((384, EmbeddingPooling.Mean, true, 256, "", temperature == 1f ? 0 : 6),
                (transformer.Dimension, transformer.Pooling, transformer.Normalize, transformer.MaxTokens, transformer.Prefix, transformer.RewrittenSites));
            foreach (var r in References)
                Assert.True(r.Ids256.SequenceEqual(transformer.Embedder.Tokenize(r.Text)[0]),
                    $"'{r.Name}': our ids [{string.Join(' ', transformer.Embedder.Tokenize(r.Text)[0])}] differ from Hugging Face's [{string.Join(' ', r.Ids256)}]");
        }
        AssertMatches(References.Select(r => temperature == 1f ? r.MiniLm : r.MiniLmTau08).ToList(), actual, $"all-MiniLM-L6-v2 τ = {temperature}");
    }

    [Fact]
    public void ArcticByName_IsItsClsEmbedding_AndQueriesCarryItsPrompt()
    {
        var (documents, asDocuments) = Embed(new TempScaleEmbeddingOptions { ModelPath = "snowflake-arctic-embed-xs", BatchSize = 4 },
            References.Select(r => r.Text));
        using (documents)
            Assert.Equal((384, EmbeddingPooling.Cls, true, 512, ""),
                (documents.Dimension, documents.Pooling, documents.Normalize, documents.MaxTokens, documents.Prefix));
        AssertMatches(References.Select(r => r.ArcticDocument).ToList(), asDocuments, "snowflake-arctic-embed-xs documents");

        var queries = References.Where(r => r.ArcticQuery is not null).ToList();
        var (asQuery, asQueries) = Embed(
            new TempScaleEmbeddingOptions { ModelPath = "Snowflake/snowflake-arctic-embed-xs", TextKind = EmbeddingTextKind.Query },
            queries.Select(r => r.Text));
        using (asQuery) Assert.Equal(ArcticQueryPrompt, asQuery.Prefix);
        AssertMatches(queries.Select(r => r.ArcticQuery!).ToList(), asQueries, "snowflake-arctic-embed-xs queries");
    }

    private static (TempScaleEmbeddingTransformer Transformer, List<float[]> Vectors) Embed(TempScaleEmbeddingOptions options, IEnumerable<string> texts)
    {
        var ml = new MLContext(1);
        var data = Texts(ml, texts.ToList());
        var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        return (transformer, ReadVectors(transformer.Transform(data), "Embedding"));
    }

    private void AssertMatches(IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        var worst = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            var max = expected[i].Zip(actual[i]).Max(p => Math.Abs(p.First - p.Second));
            worst = Math.Max(worst, max);
            Assert.True(max <= Tolerance, $"{what}, text {i}: max |transform − reference| = {max:E2} > {Tolerance:E0}");
            Assert.InRange(Math.Sqrt(actual[i].Sum(v => (double)v * v)), 1 - 1e-5, 1 + 1e-5);
        }
        output.WriteLine($"{what}: {expected.Count} texts, max |transform − reference| = {worst:E2}");
    }

    private static IReadOnlyList<Reference> LoadReferences()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Embedding", "Fixtures", "builtin-reference.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("texts").EnumerateArray().Select(t => new Reference(
            t.GetProperty("name").GetString()!,
            t.GetProperty("text").GetString()!,
            t.GetProperty("ids256").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Vector(t, "miniLm")!, Vector(t, "miniLmTau08")!, Vector(t, "arcticDocument")!, Vector(t, "arcticQuery"))).ToList();

        static float[]? Vector(JsonElement row, string name) =>
            row.TryGetProperty(name, out var v) ? MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(v.GetString()!)).ToArray() : null;
    }
}
