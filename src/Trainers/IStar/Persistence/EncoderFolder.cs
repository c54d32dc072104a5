using System.Text.Json;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Trainers.IStar.Model;

namespace MlNetIso.Trainers.IStar.Persistence;

/// <summary>Reads what fine-tune mode needs from a Hugging Face style encoder folder: config, vocabulary, casing.</summary>
internal static class EncoderFolder
{
    /// <summary>The vocabulary file name inside an encoder folder.</summary>
    public const string VocabularyFileName = "vocab.txt";

    /// <summary>Fills the fine-tune fields of <paramref name="spec"/> from <paramref name="folder"/>; throws naming the missing file.</summary>
    public static void Describe(string folder, IStarModelSpec spec)
    {
        spec.Encoder = BertConfig.Load(Path.Combine(folder, "config.json"));
        var vocab = Path.Combine(folder, VocabularyFileName);
        if (!File.Exists(vocab)) throw new FileNotFoundException($"Encoder folder '{folder}' has no {VocabularyFileName}.", vocab);
        spec.Vocabulary = File.ReadAllBytes(vocab);
        spec.LowerCase = ReadLowerCase(Path.Combine(folder, "tokenizer_config.json"));
    }

    private static bool ReadLowerCase(string path)
    {
        if (!File.Exists(path)) return true;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return !doc.RootElement.TryGetProperty("do_lower_case", out var value) || value.ValueKind != JsonValueKind.False;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
    }
}
