using MlNetIso.Trainers.Encoders;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>
/// BERT's masked-LM head (Hugging Face <c>cls.predictions</c>): logits = LN(GELU(W h + b)) · Eᵀ + b_vocab, with the
/// decoder tied to the encoder's word embedding table E. Only used for pre-training; it is not exported.
/// </summary>
internal sealed class MaskedLanguageModelHead : nn.Module
{
    [ComponentName(Name = "dense")] private readonly Linear _dense;
    [ComponentName(Name = "LayerNorm")] private readonly LayerNorm _layerNorm;
    [ComponentName(Name = "bias")] private readonly Parameter _bias;
    private readonly Func<Tensor> _decoderWeight; // the encoder's word embeddings; a delegate so it is not registered as a child

    public MaskedLanguageModelHead(BertEncoder encoder) : base("cls")
    {
        var c = encoder.Config;
        _dense = nn.Linear(c.HiddenSize, c.HiddenSize);
        _layerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        _bias = nn.Parameter(zeros(c.VocabSize));
        _decoderWeight = () => encoder.WordEmbeddingWeight;
        RegisterComponents();
        using var noGrad = no_grad();
        _dense.weight!.normal_(0.0, 0.02);
        _dense.bias!.zero_();
    }

    /// <summary>Vocabulary logits [n, V] for hidden states [n, d].</summary>
    public Tensor Forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var h = _layerNorm.forward(nn.functional.gelu(_dense.forward(hidden)));
        return (matmul(h, _decoderWeight().t()) + _bias).MoveToOuterDisposeScope();
    }
}
