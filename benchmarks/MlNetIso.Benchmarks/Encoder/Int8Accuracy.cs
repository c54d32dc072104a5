using System.Globalization;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Benchmarks.Study;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Benchmarks.Encoder;

/// <summary>
/// What int8 quantisation costs in accuracy: the cosine between the float32 and the int8 embedding of every text, and a
/// downstream task on both — rt-polarity sentiment by logistic regression on the frozen embeddings, k-fold, the same
/// folds for both precisions (paired): per-fold accuracy difference with its 95 % t interval and McNemar's exact test
/// on the pooled predictions. Also the cosine at τ = 0.8 (int8 + TempScale vs float32 + TempScale) on a subset.
/// </summary>
internal static class Int8Accuracy
{
    public static void Run(string modelFolder, IReadOnlyList<(string Text, bool Positive)> sentences, int threads, int folds,
        int temperatureSubset, Action<string> line, List<string> summary)
    {
        var inv = CultureInfo.InvariantCulture;
        var texts = sentences.Select(s => s.Text).ToList();
        line($"## Int8 accuracy — {texts.Count:N0} rt-polarity sentences, MaxTokens 256, {folds}-fold logistic regression");
        var (fp32, int8) = (Embed(modelFolder, texts, threads, EncoderPrecision.Float32, 1f), Embed(modelFolder, texts, threads, EncoderPrecision.Int8, 1f));
        var d = fp32.Length / texts.Count;
        var cos = Cosines(fp32, int8, d);
        var sorted = cos.OrderBy(c => c).ToArray();
        line(string.Create(inv,
            $"cosine(float32, int8): mean {cos.Average():0.0000}, min {sorted[0]:0.0000}, 1st percentile {sorted[sorted.Length / 100]:0.0000}, " +
            $"median {sorted[sorted.Length / 2]:0.0000}; {cos.Count(c => c < 0.99)} of {cos.Length} below 0.99"));

        var subset = texts.Take(temperatureSubset).ToList();
        var t32 = Embed(modelFolder, subset, threads, EncoderPrecision.Float32, 0.8f);
        var t8 = Embed(modelFolder, subset, threads, EncoderPrecision.Int8, 0.8f);
        var tcos = Cosines(t32, t8, d);
        line(string.Create(inv,
            $"at τ = 0.8 ({subset.Count:N0} sentences): cosine(float32 τ=0.8, int8 τ=0.8) mean {tcos.Average():0.0000}, min {tcos.Min():0.0000}"));

        Variants(modelFolder, texts.Take(600).ToList(), fp32, d, threads, line);

        var labels = sentences.Select(s => s.Positive).ToArray();
        var right32 = new bool[texts.Count];
        var right8 = new bool[texts.Count];
        var foldDiffs = new List<double>();
        var acc32 = new List<double>();
        var acc8 = new List<double>();
        for (var f = 0; f < folds; f++)
        {
            var test = Enumerable.Range(0, texts.Count).Where(i => i % folds == f).ToArray();
            var train = Enumerable.Range(0, texts.Count).Where(i => i % folds != f).ToArray();
            double Fold(float[] features, bool[] right)
            {
                var predicted = LinearProbe.TrainAndPredict(Rows(features, d, train), train.Select(i => labels[i] ? 1 : 0).ToList(),
                    Rows(features, d, test), classCount: 2);
                for (var j = 0; j < test.Length; j++) right[test[j]] = (predicted[j] == 1) == labels[test[j]];
                return test.Count(i => right[i]) / (double)test.Length;
            }
            var a = Fold(fp32, right32);
            var b = Fold(int8, right8);
            acc32.Add(a);
            acc8.Add(b);
            foldDiffs.Add(b - a);
            line(string.Create(inv, $"    fold {f}: accuracy float32 {a:0.0000}, int8 {b:0.0000}"));
        }
        var (diff, half) = PairedStatistics.MeanWithInterval(foldDiffs);
        var onlyFp32 = Enumerable.Range(0, texts.Count).Count(i => right32[i] && !right8[i]);
        var onlyInt8 = Enumerable.Range(0, texts.Count).Count(i => !right32[i] && right8[i]);
        var p = PairedStatistics.McNemarExactP(onlyFp32, onlyInt8);
        line(string.Create(inv,
            $"accuracy float32 {acc32.Average():0.0000}, int8 {acc8.Average():0.0000}; int8 − float32 = {diff * 100:+0.00;-0.00} points " +
            $"(95 % t interval over folds ±{half * 100:0.00}); discordant: {onlyFp32} right only with float32, {onlyInt8} only with int8, McNemar exact p = {p:0.000}"));
        line("");
        summary.Add(string.Create(inv,
            $"| int8 accuracy | {texts.Count:N0} rt-polarity sentences | cosine to float32: mean {cos.Average():0.0000}, min {sorted[0]:0.0000} (τ = 0.8: mean {tcos.Average():0.0000}) | " +
            $"LR accuracy {acc32.Average():0.0000} → {acc8.Average():0.0000} ({diff * 100:+0.00;-0.00} ± {half * 100:0.00} points, McNemar p = {p:0.00}) | mean ≥ 0.99 | {(cos.Average() >= 0.99 ? "met" : "NOT met")} |"));
    }

    /// <summary>
    /// The mean and minimum cosine to float32 of quantiser variants on a subset: per-tensor scales, 7-bit weights, and
    /// the feed-forward products left in float32 (which products the error comes from).
    /// </summary>
    private static void Variants(string modelFolder, IReadOnlyList<string> texts, float[] fp32, int d, int threads, Action<string> line)
    {
        var inv = CultureInfo.InvariantCulture;
        var source = File.ReadAllBytes(Path.Combine(modelFolder, "model.onnx"));
        var graph = MlNetIso.Onnx.OnnxModelFile.Parse(source, "model.onnx").Graph;
        var weights = graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.ToArray(), StringComparer.Ordinal);
        var products = graph.Node.Where(n => n.OpType == "MatMul" && weights.ContainsKey(n.Input[1]) && weights[n.Input[1]].Length == 2).ToList();
        var widest = products.Max(n => weights[n.Input[1]][0]);
        var ffnOut = products.Where(n => weights[n.Input[1]][0] == widest).Select(n => n.Name).ToList();
        var ffnIn = products.Where(n => weights[n.Input[1]][1] == widest).Select(n => n.Name).ToList();
        var variants = new (string Name, MlNetIso.Onnx.Quantization.DynamicInt8QuantizerOptions Options)[]
        {
            ("default (per column, 8 bits, all products)", new()),
            ("per-tensor weight scales", new() { PerChannel = false }),
            ("7-bit weights (ReduceRange)", new() { ReduceRange = true }),
            ($"second feed-forward product kept float32 ({ffnOut.Count} products)", new() { ExcludedNodes = ffnOut }),
            ($"first feed-forward product kept float32 ({ffnIn.Count} products)", new() { ExcludedNodes = ffnIn }),
        };
        line($"quantiser variants on the first {texts.Count} sentences (cosine to float32):");
        foreach (var (name, options) in variants)
        {
            using var folder = new DerivedEncoderFolder(modelFolder, MlNetIso.Onnx.Quantization.DynamicInt8Quantizer.Quantize(source, options).Model, "int8-variant");
            var embedded = Embed(folder.Folder, texts, threads, EncoderPrecision.Float32, 1f);
            var cos = Cosines(fp32.AsSpan(0, texts.Count * d).ToArray(), embedded, d);
            line(string.Create(inv, $"    {name}: mean {cos.Average():0.0000}, min {cos.Min():0.0000}, {cos.Count(c => c < 0.99)} below 0.99"));
        }
    }

    private static float[] Embed(string folder, IReadOnlyList<string> texts, int threads, EncoderPrecision precision, float temperature)
    {
        using var runner = new TransformRunner(new TempScaleEmbeddingOptions
        {
            ModelPath = folder, MaxTokens = 256, BatchSize = 32, IntraOpThreads = threads, Precision = precision, Temperature = temperature,
        });
        return runner.Embed(texts);
    }

    private static double[] Cosines(float[] a, float[] b, int d)
    {
        var result = new double[a.Length / d];
        for (var i = 0; i < result.Length; i++)
        {
            var x = a.AsSpan(i * d, d);
            var y = b.AsSpan(i * d, d);
            result[i] = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(x, y);
        }
        return result;
    }

    private static List<float[]> Rows(float[] features, int d, int[] indices) =>
        indices.Select(i => features.AsSpan(i * d, d).ToArray()).ToList();
}
