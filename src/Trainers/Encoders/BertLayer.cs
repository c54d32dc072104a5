using MlNetIso.Onnx.Bert;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// One post-LayerNorm transformer layer (Vaswani et al. 2017; BERT): h' = LN(h + Dropout(W_o · Attn_τ(h))),
/// out = LN(h' + Dropout(W_2 · GELU(W_1 h'))), with exact (erf) GELU. Hugging Face names:
/// <c>attention.self.*</c>, <c>attention.output.dense</c>, <c>attention.output.LayerNorm</c>,
/// <c>intermediate.dense</c>, <c>output.dense</c>, <c>output.LayerNorm</c>.
/// </summary>
internal sealed class BertLayer : nn.Module
{
    [ComponentName(Name = "attention")] private readonly AttentionBlock _attention;
    [ComponentName(Name = "intermediate")] private readonly IntermediateBlock _intermediate;
    [ComponentName(Name = "output")] private readonly DenseAddNorm _output;

    public BertLayer(BertConfig config, DropoutStream dropout) : base("layer")
    {
        if (config.HiddenAct != "gelu")
            throw new ArgumentException($"hidden_act '{config.HiddenAct}' is not supported (only exact 'gelu').", nameof(config));
        _attention = new AttentionBlock(config, dropout);
        _intermediate = new IntermediateBlock(config);
        _output = new DenseAddNorm(config.IntermediateSize, config.HiddenSize, config, dropout);
        RegisterComponents();
    }

    /// <summary>Applies the layer to <paramref name="hidden"/> [B, L, d].</summary>
    public Tensor Forward(Tensor hidden, Tensor additiveMask, double temperature)
    {
        using var attended = _attention.Forward(hidden, additiveMask, temperature);
        using var activated = _intermediate.Forward(attended);
        return _output.Forward(activated, attended);
    }

    /// <summary><c>attention</c>: self-attention (<c>self</c>) then LN(h + dense(context)) (<c>output</c>).</summary>
    private sealed class AttentionBlock : nn.Module
    {
        [ComponentName(Name = "self")] private readonly BertSelfAttention _self;
        [ComponentName(Name = "output")] private readonly DenseAddNorm _output;

        public AttentionBlock(BertConfig config, DropoutStream dropout) : base("attention")
        {
            _self = new BertSelfAttention(config, dropout);
            _output = new DenseAddNorm(config.HiddenSize, config.HiddenSize, config, dropout);
            RegisterComponents();
        }

        public Tensor Forward(Tensor hidden, Tensor additiveMask, double temperature)
        {
            using var context = _self.Forward(hidden, additiveMask, temperature);
            return _output.Forward(context, hidden);
        }
    }

    /// <summary><c>intermediate</c>: GELU(dense(h)) with exact erf GELU.</summary>
    private sealed class IntermediateBlock : nn.Module
    {
        [ComponentName(Name = "dense")] private readonly Linear _dense;

        public IntermediateBlock(BertConfig config) : base("intermediate")
        {
            _dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
            RegisterComponents();
        }

        public Tensor Forward(Tensor hidden)
        {
            using var inner = GemmLinear.Forward(_dense, hidden);
            return GeluFunction.Forward(inner);
        }
    }

    /// <summary>LN(residual + Dropout(dense(x))) with sub-modules <c>dense</c> and <c>LayerNorm</c>.</summary>
    private sealed class DenseAddNorm : nn.Module
    {
        [ComponentName(Name = "dense")] private readonly Linear _dense;
        [ComponentName(Name = "LayerNorm")] private readonly LayerNorm _layerNorm;
        [ComponentName(Name = "dropout")] private readonly SeededDropout _dropout;

        public DenseAddNorm(int inputSize, int outputSize, BertConfig config, DropoutStream dropout) : base("output")
        {
            _dense = nn.Linear(inputSize, outputSize);
            _layerNorm = nn.LayerNorm(outputSize, config.LayerNormEps);
            _dropout = new SeededDropout(config.HiddenDropoutProb, dropout);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor residual)
        {
            using var projected = GemmLinear.Forward(_dense, x);
            using var dropped = _dropout.Forward(projected);
            using var sum = dropped + residual;
            return _layerNorm.forward(sum);
        }
    }
}
