using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Onnx.Attention;
using MlNetIso.Onnx.IO;
using MlNetIso.Transforms.Embedding.Tokenization;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// The <c>tempscale-mechanism</c> verb: the low-pass explanation of length collapse, measured per layer on the real
/// encoder. The <c>--mechanism-reviews</c> (default 48) fold-stratified movie reviews with at least the longest prefix
/// length of tokens are cut to their first L tokens (<c>--prefix-lengths</c>, default 32,64,128,256,512) and run one at a
/// time (no padding) through the encoder with its per-layer hidden states and attention probabilities exposed
/// (<see cref="EncoderLayerOutputs"/>), at every τ of <c>--temperatures</c> (default 1,0.7,0.5; τ ≠ 1 through
/// <see cref="TempScale"/>). Per layer and L it reports the mean over reviews, with bootstrap intervals, of the DC share
/// of the token states, the normalised attention entropy and the high-frequency gain σₐ (<see cref="LayerStatistics"/>).
/// Results: console, and <c>--out-dir</c>/&lt;model&gt;/mechanism.md, mechanism-*.png.
/// </summary>
internal static class TempScaleMechanismVerb
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] argv)
    {
        var options = StudyOptions.Parse(argv);
        var args = options.Args;
        var encoder = options.Encoder;
        var temperatures = StudyOptions.ParseTemperatures(args.Value("--temperatures") ?? "1,0.7,0.5");
        var prefixLengths = (args.Value("--prefix-lengths") ?? "32,64,128,256,512").Split(',').Select(x => int.Parse(x, Inv)).Order().ToArray();
        var count = args.Int("--mechanism-reviews", 48);
        var total = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;

        var tokenizer = BertTextTokenizer.Create(encoder.VocabularyPath);
        var longEnough = TextCorpora.MovieReviews(options.DataDir).Where(r => tokenizer.CountTokens(r.Text) + 2 >= prefixLengths[^1]).ToList();
        var reviews = ReviewSample.Take(longEnough, count);
        var modelBytes = File.ReadAllBytes(encoder.ModelPath);

        // values[(τ, L, kind)][review][layer]
        var values = new Dictionary<(float, int, string), double[][]>();
        int layers = 0, heads = 0;
        foreach (var t in temperatures)
        {
            var sw = Stopwatch.StartNew();
            var rewritten = t == 1f ? modelBytes : TempScale.Rewrite(modelBytes, t).Model;
            var exposed = EncoderLayerOutputs.Expose(rewritten, LayerOutputKinds.HiddenStates | LayerOutputKinds.AttentionProbabilities);
            layers = exposed.LayerCount;
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.Threads, InterOpNumThreads = 1 };
            sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            using var session = new InferenceSession(exposed.Model, sessionOptions);
            var inputNames = session.InputMetadata.Keys.ToList();
            var outputNames = exposed.HiddenStates.Concat(exposed.AttentionProbabilities).ToArray();
            foreach (var l in prefixLengths)
            {
                var dc = new double[reviews.Count][];
                var entropy = new double[reviews.Count][];
                var gain = new double[reviews.Count][];
                for (var r = 0; r < reviews.Count; r++)
                {
                    var ids = tokenizer.Encode(reviews[r].Text, l).Select(i => (long)i).ToArray();
                    if (ids.Length != l) throw new InvalidOperationException($"Review {reviews[r].Id} gave {ids.Length} tokens, not {l}.");
                    using var results = Run(session, inputNames, ids, outputNames);
                    var hidden = results.Take(layers + 1).Select(v => v.GetTensorDataAsSpan<float>().ToArray()).ToArray();
                    var d = hidden[0].Length / l;
                    dc[r] = hidden.Select(h => LayerStatistics.DcShare(h, l, d)).ToArray();
                    var attention = results.Skip(layers + 1).Select(v => v.GetTensorDataAsSpan<float>().ToArray()).ToArray();
                    heads = attention[0].Length / (l * l);
                    entropy[r] = attention.Select(a => LayerStatistics.NormalisedEntropy(a, heads, l)).ToArray();
                    gain[r] = attention.Select(a => LayerStatistics.HighFrequencyGain(a, heads, l)).ToArray();
                }
                values[(t, l, "dc")] = dc;
                values[(t, l, "entropy")] = entropy;
                values[(t, l, "gain")] = gain;
            }
            Console.WriteLine(string.Create(Inv, $"  τ = {t}: {reviews.Count} reviews × {prefixLengths.Length} lengths in {sw.Elapsed.TotalSeconds:0} s"));
        }

        var report = new StringBuilder();
        void Line(string s = "")
        {
            Console.WriteLine(s);
            report.AppendLine(s);
        }
        Line($"# The low-pass mechanism per layer: {encoder.Name}");
        Line();
        Line($"Encoder: {encoder.Description}; {layers} layers, {heads} heads; model.onnx sha256 {encoder.Sha256[..16]}…. " +
             $"{reviews.Count} fold-stratified movie reviews with ≥ {prefixLengths[^1]} tokens, each cut to its first L tokens " +
             $"([CLS] … [SEP], L ∈ {{{string.Join(", ", prefixLengths)}}}) and run alone (no padding). Means over reviews with " +
             $"{options.BootstrapReplicates}-resample bootstrap 95 % intervals (seed {options.Seed}).");
        Line();
        var outDir = Path.Combine(options.OutDir, encoder.Name);
        var measures = new (string Kind, string Title, string Short, int FirstLayer)[]
        {
            ("dc", "DC share of the token states ‖mean hₜ‖² / mean ‖hₜ‖² (layer 0 = embedding output)", "DC share of token states", 0),
            ("entropy", "normalised attention entropy H / ln L (mean over heads and queries)", "attention entropy / ln L", 1),
            ("gain", "high-frequency gain σₐ = σ_max((I − 11ᵀ/L)·A) (mean over heads)", "high-frequency gain σₐ", 1),
        };
        foreach (var (kind, title, shortTitle, first) in measures)
        {
            var layerCount = kind == "dc" ? layers + 1 : layers;
            var intervals = new Dictionary<(float, int), BootstrapInterval[]>();
            foreach (var t in temperatures)
            foreach (var l in prefixLengths)
                intervals[(t, l)] = Enumerable.Range(0, layerCount).Select(layer =>
                    Bootstrap.Mean(values[(t, l, kind)].Select(v => v[layer]).ToArray(), options.BootstrapReplicates, options.Seed)).ToArray();
            Line($"## {title}");
            Line();
            Line("| τ | layer | " + string.Join(" | ", prefixLengths.Select(l => $"L = {l}")) + " |");
            Line("|---|---:|" + string.Concat(prefixLengths.Select(_ => "---:|")));
            foreach (var t in temperatures)
                for (var layer = 0; layer < layerCount; layer++)
                    Line(string.Create(Inv, $"| {t:0.0#} | {layer + first} | ") +
                         string.Join(" | ", prefixLengths.Select(l => intervals[(t, l)][layer].Format("0.000"))) + " |");
            Line();
            var series = new List<StudyCharts.Series>();
            for (var k = 0; k < temperatures.Count; k++)
                if (k == 0 || k == temperatures.Count - 1)
                    for (var j = 0; j < prefixLengths.Length; j++)
                        series.Add(new StudyCharts.Series($"L = {prefixLengths[j]}, {StudyMarkdown.Tau(temperatures[k])}",
                            Enumerable.Range(first, layerCount).Select(x => (double)x).ToArray(), intervals[(temperatures[k], prefixLengths[j])],
                            Dashed: k > 0, Band: false, ColorIndex: j));
            StudyCharts.Lines(Path.Combine(outDir, $"mechanism-{kind}.png"),
                $"{encoder.Name}: {shortTitle} (solid τ = 1, dashed {StudyMarkdown.Tau(temperatures[^1])})",
                "layer", shortTitle, series, integerX: true);
        }
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Line(string.Create(Inv, $"Run time {total.Elapsed.TotalMinutes:0.0} min wall, {cpuSeconds / 60:0.0} min CPU; load average at end {MachineInfo.LoadAverage()}."));
        AtomicFile.WriteAllText(Path.Combine(outDir, "mechanism.md"), report.ToString());
        return 0;
    }

    private static IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, IReadOnlyList<string> inputNames, long[] ids, string[] outputs)
    {
        long[] shape = [1, ids.Length];
        var mask = Enumerable.Repeat(1L, ids.Length).ToArray();
        var types = new long[ids.Length];
        var inputs = inputNames.Select(name => name switch
        {
            "input_ids" => OrtValue.CreateTensorValueFromMemory(ids, shape),
            "attention_mask" => OrtValue.CreateTensorValueFromMemory(mask, shape),
            "token_type_ids" => OrtValue.CreateTensorValueFromMemory(types, shape),
            _ => throw new InvalidDataException($"The encoder has an unexpected input '{name}'."),
        }).ToList();
        try
        {
            using var runOptions = new RunOptions();
            return session.Run(runOptions, inputNames.ToList(), inputs, outputs);
        }
        finally
        {
            foreach (var v in inputs) v.Dispose();
        }
    }
}
