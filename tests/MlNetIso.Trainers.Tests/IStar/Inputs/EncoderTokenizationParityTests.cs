using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Trainers.Tests.IStar.Inputs;

/// <summary>
/// I-STAR fine-tuning and the TempScale embedding transform read one encoder folder through <see cref="EncoderFolder"/>,
/// so they tokenize it the same way. The folder here lower-cases but keeps accents (do_lower_case = true,
/// strip_accents = false), the case where the I-STAR reader once ignored strip_accents and stripped them.
/// </summary>
public class EncoderTokenizationParityTests
{
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cafe", "café", "creme", "crème", "brulee", "brûlée", "good"];

    private static string AccentKeepingFolder()
    {
        var config = new BertConfig
        {
            VocabSize = Vocabulary.Length, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 32,
            MaxPositionEmbeddings = 32,
        };
        TorchSharp.torch.random.manual_seed(1);
        using var encoder = new BertEncoder(config);
        var weights = BertCheckpoint.ToNamedTensors(encoder);
        var folder = TestPaths.NewTempDir();
        EncoderFolder.Write(folder, new EncoderFolderContent
        {
            Config = config,
            Weights = weights,
            OnnxModel = BertOnnxWriter.Write(config, weights),
            Vocabulary = Encoding.UTF8.GetBytes(string.Join('\n', Vocabulary) + "\n"),
            Tokenizer = new TokenizerConfig { LowerCase = true, StripAccents = false },
        });
        return folder;
    }

    [Fact]
    public void FineTuneAndEmbeddingTransform_FolderKeepsAccents_TokenizeIdentically()
    {
        var folder = AccentKeepingFolder();

        var spec = ClassifierNetworkFactory.Prototype(
            new IStarOptions { TextColumnName = "Text", EncoderPath = folder, MaxTokens = 16 }, IStarTask.Multiclass);
        var fineTune = Assert.IsType<FineTuneInput>(NetworkInputFactory.Create(spec)).Tokenizer;
        var embedding = EncoderPackage.FromOptions(new TempScaleEmbeddingOptions { ModelPath = folder }).CreateTokenizer();

        const string text = "Café CRÈME brûlée good";
        int[] expected = [2, Id("café"), Id("crème"), Id("brûlée"), Id("good"), 3];
        Assert.Equal(expected, fineTune.Encode(text, 16));
        Assert.Equal(expected, embedding.Encode(text, 16));
    }

    [Fact]
    public void FineTuneSpec_FolderKeepsAccents_StoresTheCasingItTrainsWith()
    {
        var spec = ClassifierNetworkFactory.Prototype(
            new IStarOptions { TextColumnName = "Text", EncoderPath = AccentKeepingFolder(), MaxTokens = 32 }, IStarTask.Multiclass);

        Assert.True(spec.LowerCase);
        Assert.False(spec.StripAccents);
    }

    private static int Id(string token) => Array.IndexOf(Vocabulary, token);
}
