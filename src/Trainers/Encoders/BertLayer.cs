using MlNetIso.Transforms.Encoders;
using TorchSharp;
using TorchSharp.Modules;
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
    private readonly BertSelfAttention _self;
    private readonly DenseAddNorm _attentionOutput;
    private readonly Linear _intermediate;
    private readonly DenseAddNorm _output;

    public BertLayer(BertConfig config) : base("layer")
    {
        if (config.HiddenAct != "gelu")
            throw new ArgumentException($"hidden_act '{config.HiddenAct}' is not supported (only exact 'gelu').", nameof(config));
        _self = new BertSelfAttention(config);
        _attentionOutput = new DenseAddNorm(config.HiddenSize, config.HiddenSize, config);
        _intermediate = nn.Linear(config.HiddenSize, config.IntermediateSize);
        _output = new DenseAddNorm(config.IntermediateSize, config.HiddenSize, config);

        var attention = new NamedContainer("attention");
        attention.Add("self", _self);
        attention.Add("output", _attentionOutput);
        var intermediate = new NamedContainer("intermediate");
        intermediate.Add("dense", _intermediate);
        register_module("attention", attention);
        register_module("intermediate", intermediate);
        register_module("output", _output);
    }

    /// <summary>Applies the layer to <paramref name="hidden"/> [B, L, d].</summary>
    public Tensor Forward(Tensor hidden, Tensor additiveMask, double temperature)
    {
        using var context = _self.Forward(hidden, additiveMask, temperature);
        using var attended = _attentionOutput.Forward(context, hidden);
        using var inner = _intermediate.forward(attended);
        using var activated = nn.functional.gelu(inner);
        return _output.Forward(activated, attended);
    }

    /// <summary>LN(residual + Dropout(dense(x))) with sub-modules <c>dense</c> and <c>LayerNorm</c>.</summary>
    private sealed class DenseAddNorm : nn.Module
    {
        private readonly Linear _dense;
        private readonly LayerNorm _layerNorm;
        private readonly Dropout _dropout;

        public DenseAddNorm(int inputSize, int outputSize, BertConfig config) : base("output")
        {
            _dense = nn.Linear(inputSize, outputSize);
            _layerNorm = nn.LayerNorm(outputSize, config.LayerNormEps);
            _dropout = nn.Dropout(config.HiddenDropoutProb);
            register_module("dense", _dense);
            register_module("LayerNorm", _layerNorm);
            register_module("dropout", _dropout);
        }

        public Tensor Forward(Tensor x, Tensor residual)
        {
            using var projected = _dense.forward(x);
            using var dropped = _dropout.forward(projected);
            using var sum = dropped + residual;
            return _layerNorm.forward(sum);
        }
    }

    /// <summary>A parameter-only container that exists to reproduce the Hugging Face name hierarchy.</summary>
    private sealed class NamedContainer(string name) : nn.Module(name)
    {
        public void Add(string childName, nn.Module child) => register_module(childName, child);
    }
}
