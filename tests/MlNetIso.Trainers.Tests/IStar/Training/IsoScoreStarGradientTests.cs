using Microsoft.ML;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Trainers.IStar.Training;
using static MlNetIso.Trainers.Tests.IStar.Training.IsoScoreStarLossTests;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.IStar.Training;

public class IsoScoreStarGradientTests
{
    // (m, n): 2m < n takes the Gram form, the others the covariance form.
    [Theory]
    [InlineData(3, 8, 0.2, -1.0, 1)]
    [InlineData(4, 16, 0.0, 2.5, 2)]
    [InlineData(5, 10, 0.6, -0.5, 3)]
    [InlineData(12, 5, 0.2, -1.0, 4)]
    [InlineData(40, 6, 0.0, 1.0, 5)]
    [InlineData(7, 7, 0.9, -3.0, 6)]
    [InlineData(300, 8, 0.2, -1.0, 7)] // more points than IsoScoreStarGradient.CentringProductLimit: mean subtraction
    public void ScoreAndGradient_EqualAutogradThroughTheTraceForm(int m, int n, double zeta, double lambda, int seed)
    {
        var rng = new Random(seed);
        var x = RandomMatrix(rng, m, n);
        var c0 = Covariance(RandomMatrix(rng, 3 * n, n));
        using var points = tensor(Flatten(x), [m, n], requires_grad: true);
        using var c0Tensor = tensor(Flatten(c0), [n, n]);
        using var expectedScore = IsoScoreStarLoss.IsoScoreStar(points, c0Tensor, zeta);
        using var penalty = lambda * (1 - expectedScore);
        penalty.backward();
        var expectedGradient = points.grad!.data<double>().ToArray();

        using var reference = new IsoScoreStarReference(c0Tensor.clone(), ScalarType.Float64);
        var (score, gradient) = IsoScoreStarGradient.Compute(points, reference, zeta, lambda);
        using var _ = gradient;
        // addmm takes its two coefficients as float32, so float64 results agree to about 1e-8, not to the last bit.
        Assert.Equal(ReferenceIsoScoreStar(Covariance(x), c0, zeta), score, 1e-7);
        Assert.Equal(expectedScore.item<double>(), score, 1e-7);
        Assert.NotNull(gradient);
        Assert.Equal(new long[] { m, n }, gradient!.shape);
        Assert.False(gradient.requires_grad);
        var actual = gradient.data<double>().ToArray();
        double scale = expectedGradient.Max(Math.Abs);
        Assert.True(scale > 0);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expectedGradient[i]) <= 1e-6 * scale,
                $"element {i}: closed form {actual[i]}, autograd {expectedGradient[i]}");
    }

    [Fact]
    public void Float32Points_MatchTheFloat64Result()
    {
        var rng = new Random(8);
        var x = RandomMatrix(rng, 32, 64);
        var c0 = Covariance(RandomMatrix(rng, 200, 64));
        using var c0Tensor = tensor(Flatten(c0), [64, 64]);
        using var reference64 = new IsoScoreStarReference(c0Tensor.clone(), ScalarType.Float64);
        using var reference32 = new IsoScoreStarReference(c0Tensor.clone());
        using var points64 = tensor(Flatten(x), [32, 64]);
        using var points32 = points64.to_type(ScalarType.Float32);
        var (s64, g64) = IsoScoreStarGradient.Compute(points64, reference64, 0.2, -1);
        var (s32, g32) = IsoScoreStarGradient.Compute(points32, reference32, 0.2, -1);
        using var _ = g64;
        using var __ = g32;
        Assert.NotNull(g32);
        Assert.NotNull(g64);
        Assert.Equal(ScalarType.Float32, g32.dtype);
        Assert.Equal(s64, s32, 1e-5);
        using var difference = (g32.to_type(ScalarType.Float64) - g64).abs().max();
        using var size = g64.abs().max();
        Assert.True(difference.item<double>() < 1e-4 * size.item<double>());
    }

    [Fact]
    public void NoGradient_WhenThePenaltyIsConstantOrUndefined()
    {
        var rng = new Random(9);
        using var points = tensor(Flatten(RandomMatrix(rng, 6, 4)), [6, 4]);
        using var c0Tensor = tensor(Flatten(Covariance(RandomMatrix(rng, 20, 4))), [4, 4]);
        using var reference = new IsoScoreStarReference(c0Tensor.clone(), ScalarType.Float64);

        var (onlyC0, noGradient) = IsoScoreStarGradient.Compute(points, reference, 1.0, -1);
        Assert.Null(noGradient); // ζ = 1: Cz = C0 does not depend on the points
        using var c0Score = IsoScoreStarLoss.OfCovariance(c0Tensor, c0Tensor, 0);
        Assert.Equal(c0Score.item<double>(), onlyC0, 1e-12);

        var (score, zeroLambda) = IsoScoreStarGradient.Compute(points, reference, 0.2, 0);
        Assert.Null(zeroLambda);
        Assert.True(score is > 0 and <= 1, $"IsoScore* {score}");

        using var same = zeros([5, 4], dtype: ScalarType.Float64); // no spread and C0 = 0: IsoScore* is 0/0
        using var zero = new IsoScoreStarReference(zeros([4, 4], dtype: ScalarType.Float64), ScalarType.Float64);
        var (undefined, none) = IsoScoreStarGradient.Compute(same, zero, 0.2, -1);
        Assert.True(double.IsNaN(undefined), $"IsoScore* {undefined}");
        Assert.Null(none);
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        using var reference = new IsoScoreStarReference(eye(4, dtype: ScalarType.Float64), ScalarType.Float64);
        using var one = ones([1, 4], dtype: ScalarType.Float64);
        using var wrongWidth = ones([5, 3], dtype: ScalarType.Float64);
        using var fine = randn([5, 4], dtype: ScalarType.Float64);
        Assert.Contains("at least 2 points", Assert.Throws<ArgumentException>(() => IsoScoreStarGradient.Compute(one, reference, 0.2, -1)).Message);
        Assert.Contains("[m, 4]", Assert.Throws<ArgumentException>(() => IsoScoreStarGradient.Compute(wrongWidth, reference, 0.2, -1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IsoScoreStarGradient.Compute(fine, reference, 1.5, -1));
        Assert.Throws<ArgumentException>(() => new IsoScoreStarReference(ones([3, 4])));
    }

    [Fact]
    public void Reference_KeepsTraceNormAndCentringMatrix()
    {
        using var c0 = tensor(new double[] { 2, 1, 1, 3 }, [2, 2]);
        using var reference = new IsoScoreStarReference(c0.clone());
        Assert.Equal(ScalarType.Float32, reference.Covariance.dtype);
        Assert.Equal(5.0, reference.Trace, 12);
        Assert.Equal(15.0, reference.SquaredFrobeniusNorm, 12);
        using var x = tensor(new float[] { 1, 2, 3, 5, 7, 11 }, [3, 2]);
        var h = reference.CentringMatrix(3);
        Assert.Same(h, reference.CentringMatrix(3));
        using var centred = h.mm(x);
        var expected = new[] { -8f / 3, -4, -2f / 3, -1, 10f / 3, 5 };
        Assert.Equal(expected, centred.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    /// <summary>
    /// A whole training step (forward, closed-form penalty gradient fed into the backward pass, our AdamW) moves the
    /// weights exactly as a step on the autograd loss <c>CE + λ(1 − IsoScore*)</c> with TorchSharp's AdamW does.
    /// </summary>
    [Theory]
    [InlineData(8, -1.0)]   // batch 16, hidden 8: covariance form
    [InlineData(48, 2.0)]   // batch 16, hidden 48: Gram form
    public void TrainingStep_MatchesTheAutogradLoss(int hidden, double lambda)
    {
        var options = new IStarOptions { FeatureColumnName = "x", Lambda = lambda, Zeta = 0.3, LearningRate = 0.05 };
        using var features = randn([16, 10], generator: new Generator(3));
        using var target = randint(0, 3, [16], dtype: ScalarType.Int64, generator: new Generator(4));
        var batch = new IStarBatch { Features = features };
        using var first = new HeadOnlyNetwork(10, hidden, 3, new Generator(5));
        using var second = new HeadOnlyNetwork(10, hidden, 3, new Generator(5));
        using var c0Tensor = IsoScoreStarLoss.Covariance(randn([64, hidden], dtype: ScalarType.Float64, generator: new Generator(6)));
        using var reference = new IsoScoreStarReference(c0Tensor.clone());

        using var channel = MlNetIso.Transforms.Hosting.CatalogEnvironment.Get(new MLContext(0).MulticlassClassification.Trainers).Start("test");
        var loop = new IStarTrainingLoop(options, CPU, channel, null);
        using var optimizer1 = new MlNetIso.Trainers.Optim.ScalarSafeAdamW(first.parameters(), options.LearningRate);
        var (loss, task, iso) = loop.Step(first, optimizer1, batch, target, reference);

        using var optimizer2 = optim.AdamW(second.parameters(), options.LearningRate);
        using (var scope = NewDisposeScope())
        {
            var (logits, points) = second.Forward(batch);
            var expectedTask = nn.functional.cross_entropy(logits, target);
            var score = IsoScoreStarLoss.IsoScoreStar(points, reference.Covariance, options.Zeta);
            var expectedLoss = expectedTask + lambda * (1 - score);
            Assert.Equal(expectedTask.item<float>(), task, 1e-6);
            Assert.Equal(score.item<float>(), iso, 1e-5);
            Assert.Equal(expectedLoss.item<float>(), loss, 1e-5);
            optimizer2.zero_grad();
            expectedLoss.backward();
            optimizer2.step();
        }
        // AdamW's first step is nearly sign(gradient)·lr, so compare the gradients themselves as well as the weights.
        foreach (var ((name, a), (_, b)) in first.named_parameters().Zip(second.named_parameters()))
        {
            using var gradientGap = (a.grad! - b.grad!).abs().max();
            using var gradientSize = b.grad!.abs().max();
            Assert.True(gradientGap.item<float>() <= 1e-5f * gradientSize.item<float>() + 1e-7f,
                $"gradient of {name}: gap {gradientGap.item<float>()}, size {gradientSize.item<float>()}");
            using var weightGap = (a - b).abs().max();
            Assert.True(weightGap.item<float>() < 1e-5f, $"{name} differs by {weightGap.item<float>()}");
        }
    }
}
