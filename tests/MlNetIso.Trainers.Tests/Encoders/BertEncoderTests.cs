using MlNetIso.Trainers.Encoders;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.Encoders;

public class BertEncoderTests
{
    [Fact]
    public void ParameterNames_AreHuggingFaceBertModelNames()
    {
        using var e = new BertEncoder(TinyConfigs.Config(layers: 2));
        var names = e.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var expected = new List<string>
        {
            "embeddings.LayerNorm.bias", "embeddings.LayerNorm.weight", "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight", "embeddings.word_embeddings.weight",
        };
        for (int i = 0; i < 2; i++)
            foreach (var suffix in new[]
            {
                "attention.output.LayerNorm.bias", "attention.output.LayerNorm.weight", "attention.output.dense.bias",
                "attention.output.dense.weight", "attention.self.key.bias", "attention.self.key.weight",
                "attention.self.query.bias", "attention.self.query.weight", "attention.self.value.bias",
                "attention.self.value.weight", "intermediate.dense.bias", "intermediate.dense.weight",
                "output.LayerNorm.bias", "output.LayerNorm.weight", "output.dense.bias", "output.dense.weight",
            })
                expected.Add($"encoder.layer.{i}.{suffix}");
        Assert.Equal(expected.OrderBy(k => k, StringComparer.Ordinal), names);
        Assert.Equal([64L, 32L], e.state_dict()["encoder.layer.1.intermediate.dense.weight"].shape);
    }

    [Fact]
    public void Forward_ReturnsEmbeddingPlusEveryLayerState()
    {
        var config = TinyConfigs.Config(layers: 3);
        using var e = TinyConfigs.Encoder(config, 1);
        var b = TinyConfigs.Batch(config.VocabSize, [5, 3], 2);
        using var ids = tensor(b.Ids, b.Shape);
        using var mask = tensor(b.Mask, b.Shape);
        using var output = e.Forward(ids, mask);
        Assert.Equal(4, output.HiddenStates.Count);
        Assert.Same(output.HiddenStates[^1], output.LastHiddenState);
        foreach (var h in output.HiddenStates) Assert.Equal([2L, 5L, 32L], h.shape);
        // layers really change the states
        Assert.True((output.HiddenStates[0] - output.HiddenStates[1]).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void Padding_DoesNotChangeRealTokenStates()
    {
        var config = TinyConfigs.Config();
        using var e = TinyConfigs.Encoder(config, 3);
        var alone = TinyConfigs.Batch(config.VocabSize, [4], 5);
        var padded = (Ids: alone.Ids.Concat(new long[3]).ToArray(), Mask: alone.Mask.Concat(new long[3]).ToArray(),
                      Types: alone.Types.Concat(new long[3]).ToArray(), Shape: new long[] { 1, 7 });
        var a = TinyConfigs.LastHidden(e, alone);
        var p = TinyConfigs.LastHidden(e, padded);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], p[i], 4);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void Temperature_EqualsQueryScaledByInverseTemperature(double tau)
    {
        // softmax((QKᵀ/√d + M)/τ) = softmax((Q/τ)Kᵀ/√d + M) for M ∈ {0, −∞}: scaling the query weights and bias by 1/τ
        // must give the same output as passing τ.
        var config = TinyConfigs.Config();
        using var withTau = TinyConfigs.Encoder(config, 7);
        using var scaled = TinyConfigs.Encoder(config, 7);
        using (no_grad())
            foreach (var (name, p) in scaled.named_parameters())
                if (name.Contains("attention.self.query", StringComparison.Ordinal)) p.div_(tau);
        var b = TinyConfigs.Batch(config.VocabSize, [6, 2, 4], 8);
        var x = TinyConfigs.LastHidden(withTau, b, tau);
        var y = TinyConfigs.LastHidden(scaled, b, 1.0);
        var plain = TinyConfigs.LastHidden(withTau, b, 1.0);
        for (int i = 0; i < x.Length; i++) Assert.Equal(y[i], x[i], 4);
        Assert.True(x.Zip(plain).Max(t => Math.Abs(t.First - t.Second)) > 1e-3, "τ had no effect.");
    }

    /// <summary>
    /// Evaluation mode runs libtorch's fused attention on Q/τ, training mode the explicit products: with dropout off
    /// (p = 0) both must give the same states, for τ = 1 and τ ≠ 1.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.6)]
    public void FusedInferenceAttention_EqualsTheExplicitProducts(double tau)
    {
        var config = TinyConfigs.Config() with { HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0 };
        using var e = TinyConfigs.Encoder(config, 4);
        var b = TinyConfigs.Batch(config.VocabSize, [7, 3, 5], 6);
        var fused = TinyConfigs.LastHidden(e, b, tau);
        e.train();
        var explicitProducts = TinyConfigs.LastHidden(e, b, tau);
        e.eval();
        double worst = fused.Zip(explicitProducts).Max(t => Math.Abs(t.First - t.Second));
        Assert.True(worst < 1e-4, $"max difference {worst}");
    }

    [Fact]
    public void Forward_RejectsBadInputsWithClearMessages()
    {
        var config = TinyConfigs.Config(maxPositions: 4);
        using var e = TinyConfigs.Encoder(config, 1);
        using var ids = zeros(1, 6, dtype: ScalarType.Int64);
        using var mask = ones(1, 6, dtype: ScalarType.Int64);
        using var shortMask = ones(1, 5, dtype: ScalarType.Int64);
        Assert.Contains("max_position_embeddings", Assert.Throws<ArgumentException>(() => e.Forward(ids, mask)).Message);
        Assert.Contains("attention_mask", Assert.Throws<ArgumentException>(() => e.Forward(ids, shortMask)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Forward(ids, mask, temperature: 0));
    }

    [Fact]
    public void ResetParameters_FollowsHuggingFaceInitialisation()
    {
        manual_seed(11);
        using var e = new BertEncoder(TinyConfigs.Config(hidden: 64, vocab: 400));
        var sd = e.state_dict();
        Assert.Equal(1f, sd["embeddings.LayerNorm.weight"].mean().item<float>(), 6);
        Assert.Equal(0f, sd["encoder.layer.0.attention.self.query.bias"].abs().max().item<float>(), 6);
        Assert.Equal(0.02, sd["embeddings.word_embeddings.weight"].std().item<float>(), 2);
    }
}
