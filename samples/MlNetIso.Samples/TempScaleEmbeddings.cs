using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Onnx.Attention;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Samples;

/// <summary>
/// Sample 2 — sentence embeddings with TempScale (Zhou et al., arXiv 2410.24200) and a length-collapse check:
/// mean pairwise cosine of embeddings per token-length bucket, at τ = 1 (plain) and τ = 0.7.
/// </summary>
public static class TempScaleEmbeddings
{
    /// <summary>Runs the sample with <paramref name="encoder"/> (a built-in name or a path); returns the collapse table.</summary>
    public static LengthCollapseTable Run(string outDir, TextWriter log, string encoder = SampleData.Encoder)
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(SampleData.Reviews(perClass: 20));

        // 1. Embeddings in a pipeline: τ = 0.7 in every attention layer; the model's own pooling (mean) and L2.
        var embed = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", encoder,
            inputColumnName: "Text", temperature: 0.7f);
        var embedded = embed.Fit(data).Transform(data);
        var first = embedded.GetColumn<VBuffer<float>>("Embedding").First().DenseValues().ToArray();
        log.WriteLine($"embedding dimension {first.Length}, first values {string.Join(", ", first.Take(4).Select(v => v.ToString("F3")))}");

        // 2. The rewritten encoder as a plain ONNX file, to serve from any ONNX Runtime host.
        var onnx = EncoderFolder.Open(encoder).ModelPath; // the name's model.onnx in the model cache
        var rewritten = TempScale.Rewrite(onnx, Path.Combine(outDir, "model.tau0.7.onnx"), 0.7f);
        log.WriteLine($"rewrote {rewritten.RewrittenSites} attention softmaxes");

        // 3. Length collapse: long reviews bucketed by token length, τ = 1 against τ = 0.7.
        var table = LengthCollapse.Measure(SampleData.LongReviews(60).Cast<string?>().ToList(),
            new TempScaleEmbeddingOptions { ModelPath = encoder }, [1f, 0.7f]);
        log.WriteLine(table.ToMarkdown());
        File.WriteAllText(Path.Combine(outDir, "collapse.md"), table.ToMarkdown());
        return table;
    }
}
