using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>
/// The encoder a benchmark runs on: the bundled demo encoder (<c>models/mlnetiso-mini/model.onnx</c> + <c>vocab.txt</c>),
/// a built-in name or a folder given with <c>--model &lt;name|dir&gt;</c>, or — with <c>--random-encoder</c> — a randomly initialised BERT of the
/// demo encoder's suggested shape (4 layers, hidden 256, 4 heads, intermediate 1024, 512 positions) written with
/// <see cref="BertOnnxWriter"/> over the vocabulary given with <c>--vocab &lt;vocab.txt&gt;</c>.
/// </summary>
/// <param name="ModelPath">Path of <c>model.onnx</c>; <c>vocab.txt</c> lies beside it.</param>
/// <param name="Description">What the encoder is, for the report (demo or random, shape).</param>
internal sealed record BenchmarkEncoder(string ModelPath, string Description)
{
    /// <summary>Folder of <see cref="ModelPath"/>.</summary>
    public string Folder => Path.GetDirectoryName(ModelPath)!;

    /// <summary>Path of the encoder's <c>vocab.txt</c>.</summary>
    public string VocabularyPath => Path.Combine(Folder, "vocab.txt");

    /// <summary>Resolves the encoder from the command-line options; throws with the option to use when none is found.</summary>
    public static BenchmarkEncoder Resolve(BenchmarkArguments args)
    {
        if (args.Has("--random-encoder"))
        {
            var vocab = args.Value("--vocab") ?? Path.Combine(RepoPaths.Root, "models", "mlnetiso-mini", "vocab.txt");
            if (!File.Exists(vocab))
                throw new FileNotFoundException($"--random-encoder needs a vocabulary: '{vocab}' does not exist (pass --vocab <vocab.txt>).", vocab);
            return WriteRandom(vocab, seed: 20261123);
        }
        var encoder = EncoderFolder.Open(args.Value("--model") ?? Path.Combine(RepoPaths.Root, "models", "mlnetiso-mini"));
        var folder = encoder.Folder;
        var model = encoder.ModelPath;
        if (!File.Exists(model))
            throw new FileNotFoundException(
                $"Encoder '{model}' does not exist. Pass --model <built-in name, or folder with model.onnx and vocab.txt>, or --random-encoder " +
                "[--vocab <vocab.txt>] to benchmark a randomly initialised encoder of the demo shape.", model);
        var configPath = encoder.ConfigPath;
        var shape = File.Exists(configPath) ? Shape(BertConfig.Load(configPath)) : "shape from model.onnx";
        return new BenchmarkEncoder(model, $"trained encoder {Path.GetFullPath(folder)} ({shape})");
    }

    /// <summary>Writes a randomly initialised encoder (weights N(0, 0.02²), LayerNorm γ = 1, β = 0, as BERT's init) to a temporary folder.</summary>
    public static BenchmarkEncoder WriteRandom(string vocabPath, int seed)
    {
        var vocabSize = File.ReadLines(vocabPath).Count(line => line.Length > 0);
        var config = new BertConfig
        {
            VocabSize = vocabSize,
            HiddenSize = 256,
            NumHiddenLayers = 4,
            NumAttentionHeads = 4,
            IntermediateSize = 1024,
            MaxPositionEmbeddings = 512,
        };
        var random = new Random(seed);
        var weights = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in BertWeights.Expected(config))
        {
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal)) Array.Fill(data, 1f);
            else if (!name.EndsWith(".bias", StringComparison.Ordinal))
                for (var i = 0; i < data.Length; i++) data[i] = (float)(0.02 * random.NextGaussian());
            weights[name] = new NamedTensor(shape, data);
        }
        var folder = Path.Combine(Path.GetTempPath(), $"mlnetiso-random-encoder-{Environment.ProcessId}");
        var model = EncoderFolder.Write(folder, new EncoderFolderContent
        {
            Config = config,
            Vocabulary = File.ReadAllBytes(vocabPath),
            OnnxModel = BertOnnxWriter.Write(config, weights),
        }).ModelPath;
        return new BenchmarkEncoder(model,
            $"RANDOMLY INITIALISED encoder (seed {seed}; {Shape(config)}; vocabulary {Path.GetFullPath(vocabPath)})");
    }

    private static string Shape(BertConfig c) =>
        $"{c.NumHiddenLayers} layers, hidden {c.HiddenSize}, {c.NumAttentionHeads} heads, intermediate {c.IntermediateSize}, " +
        $"{c.MaxPositionEmbeddings} positions, vocab {c.VocabSize}";
}

/// <summary>Standard normal draws (Box–Muller) for random weights.</summary>
internal static class RandomExtensions
{
    /// <summary>One N(0, 1) draw.</summary>
    public static double NextGaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
