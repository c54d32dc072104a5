using Microsoft.ML;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// Export shapes other than the full BERT contract: no token_type_ids, no attention_mask (then sequences of different
/// lengths must not be padded together), int32 inputs, a symbolic output width.
/// </summary>
public sealed class EncoderSignatureTests
{
    private static List<float[]> EmbedWithModel(byte[] model, string[] texts)
    {
        var encoder = new TestEncoderFolder();
        File.WriteAllBytes(encoder.ModelPath, model);
        var ml = new MLContext(1);
        var data = Texts(ml, texts);
        var options = encoder.Options();
        options.BatchSize = 4;
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(data);
        Assert.Equal(16, transformer.Dimension);
        return ReadVectors(transformer.Transform(data), "E");
    }

    [Theory]
    [InlineData("no-token-types")]
    [InlineData("no-attention-mask")]
    [InlineData("int32")]
    [InlineData("symbolic-width")]
    public void Variant_GivesTheSameEmbeddingsAsTheFullContract(string variant)
    {
        var baseModel = new TestEncoderFolder().ModelBytes;
        var model = variant switch
        {
            "no-token-types" => EncoderGraphVariants.WithoutInput(baseModel, "token_type_ids", 0),
            "no-attention-mask" => EncoderGraphVariants.WithoutInput(baseModel, "attention_mask", 1),
            "int32" => EncoderGraphVariants.WithInt32Inputs(baseModel),
            _ => EncoderGraphVariants.WithSymbolicWidth(baseModel),
        };
        var texts = TestEncoderFolder.MixedTexts(11, seed: 41);
        var expected = EmbedWithModel(baseModel, texts);
        var actual = EmbedWithModel(model, texts);
        for (var i = 0; i < texts.Length; i++) AssertClose(expected[i], actual[i], 1e-5, $"{variant} row {i}");
    }

    [Fact]
    public void ModelWithoutAttention_RunsAtTauOneAndRefusesTempScaleNamingTheFile()
    {
        var encoder = new TestEncoderFolder();
        File.WriteAllBytes(encoder.ModelPath, EncoderGraphVariants.EmbeddingLookupOnly(TestEncoderFolder.Vocabulary.Length, 8, seed: 3));
        var ml = new MLContext(1);
        var data = Texts(ml, ["good movie", "bad"]);
        using (var plain = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", encoder.Options()).Fit(data))
        {
            Assert.Equal(8, plain.Dimension);
            Assert.Equal(0, plain.RewrittenSites);
            Assert.Equal(2, ReadVectors(plain.Transform(data), "E").Count);
        }
        var e = Assert.Throws<InvalidDataException>(() => ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", encoder.Options(0.5f)).Fit(data));
        Assert.Contains(encoder.ModelPath, e.Message);
        Assert.Contains("τ = 0.5", e.Message);
    }

    [Fact]
    public void MaxTokens_DefaultsToConfigThenModelMetadataThen512()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, ["good"]);
        int MaxTokensOf(TestEncoderFolder folder)
        {
            using var t = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", folder.Options()).Fit(data);
            return t.MaxTokens;
        }

        var withConfig = new TestEncoderFolder(maxPositions: 40);
        Assert.Equal(40, MaxTokensOf(withConfig));
        File.WriteAllText(Path.Combine(withConfig.Folder, "config.json"), """{ "max_position_embeddings": 33 }""");
        Assert.Equal(33, MaxTokensOf(withConfig)); // config.json wins over the model's metadata
        Assert.Equal(40, MaxTokensOf(new TestEncoderFolder(maxPositions: 40, writeConfig: false)));

        var bare = new TestEncoderFolder(writeConfig: false);
        File.WriteAllBytes(bare.ModelPath, EncoderGraphVariants.EmbeddingLookupOnly(TestEncoderFolder.Vocabulary.Length, 8, seed: 4));
        Assert.Equal(512, MaxTokensOf(bare));
    }
}
