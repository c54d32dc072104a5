using MlNetIso.Onnx.Bert;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// BERT input embeddings (Devlin et al., arXiv 1810.04805): e = LayerNorm(W_word[ids] + W_pos[0..L) + W_type[types]),
/// followed by dropout in training mode. Sub-module names follow Hugging Face (<c>word_embeddings</c>,
/// <c>position_embeddings</c>, <c>token_type_embeddings</c>, <c>LayerNorm</c>).
/// </summary>
internal sealed class BertEmbeddings : nn.Module
{
    [ComponentName(Name = "word_embeddings")] private readonly Embedding _word;
    [ComponentName(Name = "position_embeddings")] private readonly Embedding _position;
    [ComponentName(Name = "token_type_embeddings")] private readonly Embedding _tokenType;
    [ComponentName(Name = "LayerNorm")] private readonly LayerNorm _layerNorm;
    [ComponentName(Name = "dropout")] private readonly SeededDropout _dropout;
    private readonly int _maxPositions;

    public BertEmbeddings(BertConfig config, DropoutStream dropout) : base("embeddings")
    {
        _maxPositions = config.MaxPositionEmbeddings;
        _word = nn.Embedding(config.VocabSize, config.HiddenSize);
        _position = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        _tokenType = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = new SeededDropout(config.HiddenDropoutProb, dropout);
        RegisterComponents();
    }

    /// <summary>The word embedding table [V, d], shared with a tied MLM decoder.</summary>
    public Parameter WordEmbeddingWeight => _word.weight!;

    /// <summary>Embeds <paramref name="inputIds"/> [B, L] with segment ids <paramref name="tokenTypeIds"/> [B, L].</summary>
    public Tensor Forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        long length = inputIds.shape[1];
        if (length > _maxPositions)
            throw new ArgumentException(
                $"Sequence length {length} exceeds max_position_embeddings {_maxPositions}.", nameof(inputIds));
        using var positions = arange(length, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        using var words = _word.forward(inputIds);
        using var pos = _position.forward(positions);
        using var types = _tokenType.forward(tokenTypeIds);
        using var sum = words + pos + types;
        using var normed = _layerNorm.forward(sum);
        return _dropout.Forward(normed);
    }
}
