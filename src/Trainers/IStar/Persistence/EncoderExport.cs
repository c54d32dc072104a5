using System.Text.Json;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Transforms.Onnx;
using MlNetIso.Trainers.IStar.Model;

namespace MlNetIso.Trainers.IStar.Persistence;

/// <summary>Writes a fine-tuned encoder as a Hugging Face style folder with an ONNX export beside the safetensors.</summary>
internal static class EncoderExport
{
    /// <summary>The ONNX file name TempScale embedding and ONNX Runtime users look for.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>Writes config.json, model.safetensors, vocab.txt, tokenizer_config.json and model.onnx into <paramref name="folder"/>.</summary>
    public static void Write(BertEncoder encoder, IStarModelSpec spec, string folder)
    {
        Directory.CreateDirectory(folder);
        BertCheckpoint.SaveFolder(encoder, folder);
        if (spec.Vocabulary is { } vocabulary) File.WriteAllBytes(Path.Combine(folder, EncoderFolder.VocabularyFileName), vocabulary);
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["do_lower_case"] = spec.LowerCase,
            ["model_max_length"] = encoder.Config.MaxPositionEmbeddings,
            ["tokenizer_class"] = "BertTokenizer",
        }, new JsonSerializerOptions { WriteIndented = true }));
        var onnx = BertOnnxWriter.Write(encoder.Config, BertCheckpoint.ToNamedTensors(encoder));
        File.WriteAllBytes(Path.Combine(folder, OnnxFileName), onnx);
    }
}
