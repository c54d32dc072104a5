using MlNetIso.Onnx.Bert;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// What <see cref="EncoderFolder.Write"/> puts into an encoder folder. Every part is optional; a part left null is
/// neither written nor removed, so a folder can be written in stages (weights first, the ONNX export later).
/// </summary>
public sealed record EncoderFolderContent
{
    /// <summary>The encoder's shape, written as <c>config.json</c>.</summary>
    public BertConfig? Config { get; init; }

    /// <summary>The WordPiece vocabulary, written as <c>vocab.txt</c> byte for byte.</summary>
    public byte[]? Vocabulary { get; init; }

    /// <summary>The tokenizer settings, written as <c>tokenizer_config.json</c>.</summary>
    public TokenizerConfig? Tokenizer { get; init; }

    /// <summary>The weights keyed by Hugging Face names, written as float32 <c>model.safetensors</c>.</summary>
    public IReadOnlyDictionary<string, NamedTensor>? Weights { get; init; }

    /// <summary>A self-contained ONNX model, written as <c>model.onnx</c>.</summary>
    public byte[]? OnnxModel { get; init; }

    /// <summary>
    /// The sentence-transformers description (modules.json, sentence_bert_config.json, 1_Pooling/config.json,
    /// config_sentence_transformers.json).
    /// </summary>
    public SentenceTransformersConfig? SentenceTransformers { get; init; }

    /// <summary>A model card in Markdown, written as <c>README.md</c> (Hugging Face's place for it).</summary>
    public string? ModelCard { get; init; }
}
