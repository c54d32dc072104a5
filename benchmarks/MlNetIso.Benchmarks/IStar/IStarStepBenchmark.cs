using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Trainers.IStar.Training;
using MlNetIso.Trainers.Optim;
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
        Console.WriteLine("| mode | shape | λ = 0 ms/step | λ = −1 ms/step | ratio | λ = −1 via autograd ms/step | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        if (args.Contains("--parts"))
        {
            Console.WriteLine("| head-only, batch 32 | closed form (µs) | forward + CE + backward (µs) | forward + CE + closed form + two-root backward (µs) | regulariser's cost (µs) |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (int h in new[] { 64, 256 }) Parts(h, 300);
            return 0;
        }
        foreach (int hidden in new[] { 64, 256 })
        {
            using var g = new Generator(1);
            using var net = new HeadOnlyNetwork(384, hidden, 2, g);
            var features = randn([32, 384], generator: g);
            // Head-only steps take well under a millisecond: longer blocks average out the garbage collections.
            Measure($"head-only", $"d 384 → hidden {hidden}, batch 32", net, new IStarBatch { Features = features }, channel, rounds, 10 * steps);
        }
        foreach (var layers in new[] { IStarLayers.All, IStarLayers.Last })
        {
            using var fixture = new FineTuneStepFixture(layers);
            Measure("fine-tune", $"{FineTuneStepFixture.Shape}, layers {layers}", fixture.Network, fixture.Batch, channel, rounds, steps);
        }
        return 0;
    }

    /// <summary>
    /// The regulariser's parts on one head-only batch (µs, median): the closed form alone, a step's forward + backward of
    /// the cross-entropy alone, and with the closed form and the two-root backward that training runs.
    /// </summary>
    private static void Parts(int hidden, int steps)
    {
        using var g = new Generator(1);
        using var net = new HeadOnlyNetwork(384, hidden, 2, g);
        using var features = randn([32, 384], generator: g);
        var batch = new IStarBatch { Features = features };
        using var target = randint(0, 2, [32], dtype: ScalarType.Int64, generator: g);
        IsoScoreStarReference c0;
        using (no_grad()) c0 = new IsoScoreStarReference(IsoScoreStarLoss.Covariance(net.Forward(batch).Points.to_type(ScalarType.Float64)));
        using var _ = c0;
        using var fixedPoints = net.Forward(batch).Points.detach();
        Action closedForm = () => { var (_, gradient) = IsoScoreStarGradient.Compute(fixedPoints, c0, 0.2, -1); gradient?.Dispose(); };
        Action oneRoot = () =>
        {
            using var scope = NewDisposeScope();
            var (logits, _) = net.Forward(batch);
            nn.functional.cross_entropy(logits, target).backward();
        };
        Action twoRoots = () =>
        {
            using var scope = NewDisposeScope();
            var (logits, points) = net.Forward(batch);
            var task = nn.functional.cross_entropy(logits, target);
            var (_, gradient) = IsoScoreStarGradient.Compute(points, c0, 0.2, -1);
            autograd.backward([task, points], [ones_like(task), gradient!]);
        };
        var parts = new[] { closedForm, oneRoot, twoRoots };
        foreach (var a in parts) for (int i = 0; i < 2000; i++) a(); // past the JIT's tiering
        var results = parts.Select(a => Median(Enumerable.Range(0, 7).Select(_ => Time(a, steps)).ToList())).ToArray();
        Console.WriteLine($"| d 384 → hidden {hidden} | {1000 * results[0]:F0} | {1000 * results[1]:F0} | {1000 * results[2]:F0} | {1000 * (results[2] - results[1]):F0} |");
    }

    private static void Measure(string mode, string shape, ClassifierNetwork net, IStarBatch batch, IChannel channel, int rounds, int steps)
    {
        var target = randint(0, 2, [batch.Size], dtype: ScalarType.Int64);
        var plain = new IStarOptions { FeatureColumnName = "x", Lambda = 0 };
        var regularised = new IStarOptions { FeatureColumnName = "x", Lambda = -1, Zeta = 0.2 };
        using var optimizer = new ScalarSafeAdamW(net.parameters(), 1e-4);
        IsoScoreStarReference c0;
        using (no_grad()) c0 = new IsoScoreStarReference(IsoScoreStarLoss.Covariance(net.Forward(batch).Points.to_type(ScalarType.Float64)));
        using var _ = c0;
        net.train();
        var loops = (new IStarTrainingLoop(plain, CPU, channel, null), new IStarTrainingLoop(regularised, CPU, channel, null));
        Action off = () => loops.Item1.Step(net, optimizer, batch, target, null);
        Action on = () => loops.Item2.Step(net, optimizer, batch, target, c0);
        Action viaAutograd = () => AutogradStep(net, optimizer, batch, target, c0.Covariance, regularised);
        for (int i = 0; i < 3; i++)
        {
            off();
            on();
            viaAutograd();
        }
        var times = new[] { new List<double>(), new List<double>(), new List<double>() };
        for (int r = 0; r < rounds; r++)
        {
            times[0].Add(Time(off, steps));
            times[1].Add(Time(on, steps));
            times[2].Add(Time(viaAutograd, steps));
        }
        double a = Median(times[0]), b = Median(times[1]), c = Median(times[2]);
        Console.WriteLine($"| {mode} | {shape} | {a:F3} | {b:F3} | {b / a:F3}× | {c:F3} | {c / a:F3}× |");
    }

    /// <summary>
    /// The step as it was before the closed-form gradient, for comparison: the trace-form IsoScore* recorded in the
    /// autograd graph and differentiated by TorchSharp.
    /// </summary>
    private static void AutogradStep(ClassifierNetwork net, ScalarSafeAdamW optimizer, IStarBatch batch, Tensor target, Tensor c0, IStarOptions options)
    {
        using var scope = NewDisposeScope();
        var (logits, points) = net.Forward(batch);
        var task = nn.functional.cross_entropy(logits, target);
        var score = IsoScoreStarLoss.IsoScoreStar(points, c0, options.Zeta);
        using var lambda = options.Lambda.ToScalar();
        var loss = task + score.mul(lambda).neg().add(lambda);
        optimizer.ZeroGrad();
        loss.backward();
        optimizer.Step();
        _ = loss.item<float>();
        _ = score.ToDouble();
    }

    internal static double Time(Action step, int steps)
    {
        // Each block starts from a collected heap, so it pays for its own garbage (tensor wrappers, Scalars and their
        // finalisers) and not for the previous variant's.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) step();
        return sw.Elapsed.TotalMilliseconds / steps;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
