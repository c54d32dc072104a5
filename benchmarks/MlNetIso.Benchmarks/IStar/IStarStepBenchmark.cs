using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar;
using MlNetIso.Transforms.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>
/// Step time of I-STAR training with the regulariser on (λ = −1: IsoScore* of the batch points, trace form) versus
/// off (λ = 0: cross-entropy only), same network, same batches, alternating blocks so drift hits both sides. Reports
/// median milliseconds per step and the ratio (goal ≤ 1.15×).
/// </summary>
internal static class IStarStepBenchmark
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int rounds = quick ? 3 : 7, steps = quick ? 10 : 30;
        int threads = Array.IndexOf(args, "--threads") is int t and >= 0 && t + 1 < args.Length ? int.Parse(args[t + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (threads > 0) torch.set_num_threads(threads);
        var ml = new MLContext(0);
        using var channel = MlNetIso.Transforms.Hosting.CatalogEnvironment.Get(ml.MulticlassClassification.Trainers).Start("istar-step");
        Console.WriteLine($"threads: {torch.get_num_threads()}, rounds {rounds} × {steps} steps per side");
        Console.WriteLine("| mode | shape | λ = 0 ms/step | λ = −1 ms/step | ratio |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (int hidden in new[] { 64, 256 })
        {
            using var g = new Generator(1);
            using var net = new HeadOnlyNetwork(384, hidden, 2, g);
            var features = randn([32, 384], generator: g);
            Measure($"head-only", $"d 384 → hidden {hidden}, batch 32", net, new IStarBatch { Features = features }, channel, rounds, steps);
        }
        var config = new BertConfig
        {
            VocabSize = 8000, HiddenSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 512, MaxPositionEmbeddings = 512,
        };
        foreach (var layers in new[] { IStarLayers.All, IStarLayers.Last })
        {
            using var g = new Generator(2);
            using var net = new FineTuneNetwork(new BertEncoder(config), 2, layers, excludePadding: true, g);
            var ids = randint(5, 8000, [32, 32], dtype: ScalarType.Int64, generator: g);
            var mask = ones([32, 32], dtype: ScalarType.Int64);
            mask[TensorIndex.Slice(0, 16), TensorIndex.Slice(20, 32)] = zeros([16, 12], dtype: ScalarType.Int64);
            Measure("fine-tune", $"BERT 2×128, batch 32 × 32 tokens, layers {layers}", net, new IStarBatch { TokenIds = ids, AttentionMask = mask }, channel, rounds, steps);
        }
        return 0;
    }

    private static void Measure(string mode, string shape, IStarNetwork net, IStarBatch batch, IChannel channel, int rounds, int steps)
    {
        var target = randint(0, 2, [batch.Size], dtype: ScalarType.Int64);
        var plain = new IStarOptions { FeatureColumnName = "x", Lambda = 0 };
        var regularised = new IStarOptions { FeatureColumnName = "x", Lambda = -1, Zeta = 0.2 };
        using var optimizer = optim.AdamW(net.parameters(), 1e-4);
        Tensor c0;
        using (no_grad()) c0 = IStarTrainingLoop.ToTrainingPrecision(IsoScoreStarLoss.Covariance(net.Forward(batch).Points.to_type(ScalarType.Float64)));
        net.train();
        var loops = (new IStarTrainingLoop(plain, CPU, channel, null), new IStarTrainingLoop(regularised, CPU, channel, null));
        for (int i = 0; i < 3; i++)
        {
            loops.Item1.Step(net, optimizer, batch, target, null);
            loops.Item2.Step(net, optimizer, batch, target, c0);
        }
        var off = new List<double>();
        var on = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            off.Add(Time(() => loops.Item1.Step(net, optimizer, batch, target, null), steps));
            on.Add(Time(() => loops.Item2.Step(net, optimizer, batch, target, c0), steps));
        }
        double a = Median(off), b = Median(on);
        Console.WriteLine($"| {mode} | {shape} | {a:F3} | {b:F3} | {b / a:F3}× |");
    }

    private static double Time(Action step, int steps)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) step();
        return sw.Elapsed.TotalMilliseconds / steps;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
