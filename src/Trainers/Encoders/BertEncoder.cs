using MlNetIso.Onnx.Bert;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// A BERT-family text encoder in TorchSharp (Devlin et al., arXiv 1810.04805): word + position + token-type
/// embeddings with LayerNorm, then <c>num_hidden_layers</c> post-LayerNorm transformer layers (self-attention and a
/// feed-forward block with exact GELU). Attention takes a softmax temperature τ (TempScale):
/// softmax((QKᵀ/√d_head + M)/τ). Parameter names equal Hugging Face <c>BertModel</c> names
/// (<c>embeddings.word_embeddings.weight</c>, <c>encoder.layer.{i}.attention.self.query.weight</c>, …), so
/// <see cref="BertCheckpoint"/> can move weights between this module, <c>model.safetensors</c> and ONNX.
/// </summary>
internal sealed class BertEncoder : nn.Module
{
    [ComponentName(Name = "embeddings")] private readonly BertEmbeddings _embeddings;
    [ComponentName(Name = "encoder")] private readonly LayerStack _encoder;

    /// <summary>Builds an encoder of the given shape with Hugging Face's initialisation (see <see cref="ResetParameters"/>).</summary>
    public BertEncoder(BertConfig config) : base("BertEncoder")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _embeddings = new BertEmbeddings(config, Dropout);
        _encoder = new LayerStack(config, Dropout);
        RegisterComponents();
        ResetParameters();
    }

    /// <summary>
    /// The random stream of every dropout layer of this encoder (seed 0 until <see cref="DropoutStream.Reseed"/>):
    /// seeding it makes training with dropout reproducible.
    /// </summary>
    public DropoutStream Dropout { get; } = new();

    /// <summary>The shape this encoder was built from.</summary>
    public BertConfig Config { get; }

    /// <summary>The word embedding table [vocab, hidden] (for weight tying in a masked-language-model head).</summary>
    public Parameter WordEmbeddingWeight => _embeddings.WordEmbeddingWeight;

    /// <summary>
    /// Re-initialises every parameter as Hugging Face's <c>BertPreTrainedModel._init_weights</c> does: linear and
    /// embedding weights ~ N(0, <paramref name="std"/>²), biases 0, LayerNorm weight 1 and bias 0. Uses the global
    /// TorchSharp generator, so call <c>torch.manual_seed</c> first for reproducibility.
    /// </summary>
    public void ResetParameters(double std = 0.02)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal)) p.fill_(1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0.0, std);
        }
    }

    /// <summary>
    /// Encodes a batch. <paramref name="inputIds"/>, <paramref name="attentionMask"/> (1 = token, 0 = padding) and
    /// the optional <paramref name="tokenTypeIds"/> (default all 0) are int64 [batch, length].
    /// <paramref name="temperature"/> is the attention softmax temperature τ &gt; 0 (1 = standard BERT).
    /// Returns every layer's hidden states; the caller disposes the result.
    /// </summary>
    public BertEncoderOutput Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (inputIds.dim() != 2)
            throw new ArgumentException($"input_ids must be [batch, length]; got rank {inputIds.dim()}.", nameof(inputIds));
        if (!inputIds.shape.SequenceEqual(attentionMask.shape))
            throw new ArgumentException(
                $"attention_mask shape [{string.Join(", ", attentionMask.shape)}] differs from input_ids [{string.Join(", ", inputIds.shape)}].",
                nameof(attentionMask));
        if (tokenTypeIds is not null && !inputIds.shape.SequenceEqual(tokenTypeIds.shape))
            throw new ArgumentException("token_type_ids must have the shape of input_ids.", nameof(tokenTypeIds));
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The attention temperature must be a positive finite number.");

        using var types = tokenTypeIds is null ? zeros_like(inputIds) : tokenTypeIds.alias();
        using var additive = AdditiveMask(attentionMask);
        var states = new List<Tensor> { _embeddings.Forward(inputIds, types) };
        foreach (var layer in _encoder.Layers)
            states.Add(layer.Forward(states[^1], additive, temperature));
        return new BertEncoderOutput(states);
    }

    /// <summary>
    /// M = (1 − mask) · float.MinValue broadcast as [B, 1, 1, L], the Hugging Face eager-attention mask.
    /// </summary>
    internal static Tensor AdditiveMask(Tensor attentionMask)
    {
        using var one = 1.0f.ToScalar();
        using var lowest = float.MinValue.ToScalar();
        using var m = attentionMask.to_type(ScalarType.Float32);
        using var inverted = m.neg().add_(one);
        using var scaled = inverted.mul(lowest);
        return scaled.view(attentionMask.shape[0], 1, 1, attentionMask.shape[1]);
    }

    /// <summary>Holds the layers under the Hugging Face name <c>encoder.layer.{i}</c>.</summary>
    private sealed class LayerStack : nn.Module
    {
        [ComponentName(Name = "layer")] private readonly ModuleList<BertLayer> _layers;

        public LayerStack(BertConfig config, DropoutStream dropout) : base("encoder")
        {
            _layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config, dropout)).ToArray());
            RegisterComponents();
        }

        public IEnumerable<BertLayer> Layers => _layers;
    }
}
