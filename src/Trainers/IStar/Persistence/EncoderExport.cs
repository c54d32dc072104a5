using MlNetIso.Onnx.Bert;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Trainers.IStar.Persistence;

/// <summary>Writes a fine-tuned encoder as a Hugging Face style folder with an ONNX export beside the safetensors.</summary>
internal static class EncoderExport
{
    /// <summary>
    /// Writes config.json, model.safetensors, vocab.txt, tokenizer_config.json (the casing the model was trained with)
    /// and model.onnx into <paramref name="folder"/> through <see cref="EncoderFolder.Write"/>, each file atomically.
    /// </summary>
    public static EncoderFolder Write(BertEncoder encoder, IStarModelSpec spec, string folder)
    {
        var weights = BertCheckpoint.ToNamedTensors(encoder);
        return EncoderFolder.Write(folder, new EncoderFolderContent
        {
            Config = encoder.Config,
            Weights = weights,
            Vocabulary = spec.Vocabulary,
            Tokenizer = spec.TokenizerConfig() with
            {
                ModelMaxLength = encoder.Config.MaxPositionEmbeddings,
                TokenizerClass = "BertTokenizer",
            },
            OnnxModel = BertOnnxWriter.Write(encoder.Config, weights),
        });
    }
}
