using MlNetIso.Trainers.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Optim;

public class ScalarSafeAdamWTests
{
    /// <summary>
    /// Two copies of the same parameters, one updated by TorchSharp's AdamW and one by ours (the fused single-pass
    /// update), see the same gradients and stay equal to float32 rounding (1e-6 relative) over six steps — on short
    /// tensors, on SIMD lanes, and where ours splits a tensor across threads.
    /// </summary>
    [Theory]
    [InlineData(1e-2, 0.0)]
    [InlineData(3e-3, 0.05)]
    public void Updates_EqualTorchSharpsAdamW_ToFloat32Rounding(double learningRate, double weightDecay)
    {
        using var g = new Generator(11);
        // Short shapes take the scalar tail of the fused update, [37, 41] its SIMD lanes, [300, 250] its parallel chunks.
        var shapes = new long[][] { [4, 3], [3], [2, 5], [37, 41], [300, 250] };
        var initial = shapes.Select(s => randn(s, generator: g)).ToArray();
        var theirs = initial.Select(t => new Parameter(t.clone())).ToArray();
        var ours = initial.Select(t => new Parameter(t.clone())).ToArray();
        using var reference = optim.AdamW(theirs, learningRate, weight_decay: weightDecay);
        using var optimizer = new ScalarSafeAdamW(ours, learningRate, weightDecay);

        for (int step = 0; step < 6; step++)
        {
            reference.zero_grad();
            optimizer.ZeroGrad();
            for (int i = 0; i < shapes.Length; i++)
            {
                using var target = randn(shapes[i], generator: g);
                using var lossTheirs = (theirs[i] * target).sum() + theirs[i].square().sum();
                using var lossOurs = (ours[i] * target).sum() + ours[i].square().sum();
                lossTheirs.backward();
                lossOurs.backward();
            }
            reference.step();
            optimizer.Step();
            for (int i = 0; i < shapes.Length; i++)
            {
                var expected = theirs[i].data<float>().ToArray();
                var actual = ours[i].data<float>().ToArray();
                // libtorch's kernels round some products differently (fused or not): a few elements differ by an ulp or two.
                for (int j = 0; j < expected.Length; j++)
                    Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-6 * Math.Abs(expected[j]) + 1e-8,
                        $"step {step}, shape {i}, element {j}: {actual[j]:R} vs TorchSharp's {expected[j]:R}");
            }
        }
        Assert.NotEqual(initial[0].data<float>().ToArray(), ours[0].data<float>().ToArray());
    }

    /// <summary>
    /// <c>ZeroGrad</c> drops the gradients (PyTorch's <c>set_to_none=True</c>), so a parameter that gets no gradient in a
    /// step is left alone — no weight decay, no moment update — and its own step count (for the bias corrections) stays.
    /// </summary>
    [Fact]
    public void ParameterWithoutGradient_IsLeftAlone_AndKeepsItsOwnStepCount()
    {
        using var g = new Generator(12);
        var used = new Parameter(randn([3], generator: g));
        var idle = new Parameter(randn([3], generator: g));
        var twin = new Parameter(idle.detach().clone());
        using var optimizer = new ScalarSafeAdamW([used, idle], 1e-2, weightDecay: 0.1);
        using var reference = optim.AdamW([twin], 1e-2, weight_decay: 0.1);
        for (int step = 0; step < 4; step++)
        {
            optimizer.ZeroGrad();
            reference.zero_grad();
            using (var loss = used.square().sum()) loss.backward();
            var before = idle.data<float>().ToArray();
            if (step % 2 == 0)
            {
                // idle and its twin get the same gradient on even steps only; the twin's optimizer never sees the odd steps.
                using var lossIdle = (idle * 3).sum();
                using var lossTwin = (twin * 3).sum();
                lossIdle.backward();
                lossTwin.backward();
                reference.step();
            }
            optimizer.Step();
            if (step % 2 == 1) Assert.Equal(before, idle.data<float>().ToArray());
            Assert.Equal(twin.data<float>().ToArray(), idle.data<float>().ToArray());
        }
    }

    [Fact]
    public void BadSettings_AreRejected_AndDisposeIsFinal()
    {
        var p = new Parameter(zeros(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScalarSafeAdamW([p], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScalarSafeAdamW([p], 1e-3, weightDecay: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScalarSafeAdamW([p], 1e-3, beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScalarSafeAdamW([p], 1e-3, beta2: double.NaN));
        var optimizer = new ScalarSafeAdamW([p], 1e-3);
        optimizer.Step(); // no gradient yet: nothing moves
        Assert.Equal(new float[3], p.data<float>().ToArray());
        optimizer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => optimizer.Step());
    }
}
