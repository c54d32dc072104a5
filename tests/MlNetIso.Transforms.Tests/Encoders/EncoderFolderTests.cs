using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Transforms.Tests.Encoders;

public class EncoderFolderTests
{
    private static readonly BertConfig TinyConfig = new()
    {
        VocabSize = 8, HiddenSize = 4, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 8, MaxPositionEmbeddings = 16,
    };

    [Fact]
    public void Write_EveryPart_OpensBackTheSame()
    {
        var folder = TestPaths.NewTempDir();
        var vocabulary = Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\nx\n");
        var weights = new Dictionary<string, NamedTensor> { ["w"] = new([2, 2], [1f, 2f, 3f, 4f]) };
        var onnx = new byte[] { 1, 2, 3 };
        var tokenizer = new TokenizerConfig { LowerCase = false, StripAccents = true, ModelMaxLength = 16, TokenizerClass = "BertTokenizer" };
        var sentence = new SentenceTransformersConfig
        {
            Pooling = EmbeddingPooling.Cls, Normalize = true, MaxSeqLength = 12, IncludePrompt = false,
            Prompts = new Dictionary<string, string> { ["query"] = "query: ", ["passage"] = "passage: " },
        };

        var written = EncoderFolder.Write(folder, new EncoderFolderContent
        {
            Config = TinyConfig, Vocabulary = vocabulary, Tokenizer = tokenizer, Weights = weights, OnnxModel = onnx,
            SentenceTransformers = sentence,
        });
        var opened = EncoderFolder.Open(folder);

        foreach (var f in new[] { written, opened })
        {
            Assert.True(f.HasModel && f.HasVocabulary && f.HasConfig && f.HasWeights);
            Assert.Equal(Path.Combine(Path.GetFullPath(folder), "model.onnx"), f.ModelPath);
            Assert.Equal(TinyConfig, f.LoadBertConfig() with { Architectures = TinyConfig.Architectures });
            Assert.Equal(16, f.MaxPositionEmbeddings);
            Assert.Equal(vocabulary, f.ReadVocabulary());
            Assert.Equal(onnx, File.ReadAllBytes(f.ModelPath));
            Assert.Equal([1f, 2f, 3f, 4f], f.ReadWeights()["w"].Data);
            Assert.Equal(tokenizer, f.Tokenizer);
            var st = Assert.IsType<SentenceTransformersConfig>(f.SentenceTransformers);
            Assert.Equal(EmbeddingPooling.Cls, st.Pooling);
            Assert.Equal(["cls_token"], st.PoolingModes);
            Assert.True(st.Normalize);
            Assert.Equal(12, st.MaxSeqLength);
            Assert.Equal(TinyConfig.HiddenSize, st.WordEmbeddingDimension);
            Assert.False(st.IncludePrompt);
            Assert.Equal(("query: ", "passage: "), (st.QueryPrompt, st.DocumentPrompt));
            Assert.Equal(sentence.Prompts, st.Prompts);
        }
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Open_ModelPathOrFolder_FindTheSameFolder()
    {
        var folder = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{ "do_lower_case": false }""");
        var model = Path.Combine(folder, "encoder.onnx");

        var byModel = EncoderFolder.Open(model);
        var byFolder = EncoderFolder.Open(folder);

        Assert.Equal(byFolder.Folder, byModel.Folder);
        Assert.Equal(Path.GetFullPath(model), byModel.ModelPath);
        Assert.False(byModel.HasModel);
        Assert.False(byModel.Tokenizer.LowerCase);
        Assert.False(byFolder.Tokenizer.LowerCase);
    }

    [Fact]
    public void Open_EmptyFolder_HasBertTokenizerDefaults()
    {
        var f = EncoderFolder.Open(TestPaths.NewTempDir());

        Assert.Same(TokenizerConfig.Default, f.Tokenizer);
        Assert.Null(f.MaxPositionEmbeddings);
        Assert.Null(f.SentenceTransformers);
        Assert.False(f.HasConfig || f.HasVocabulary || f.HasWeights || f.HasModel);
        var options = f.Tokenizer.ToTokenizerOptions();
        Assert.True(options.LowerCase);
        Assert.True(options.StripAccents);
        var ex = Assert.Throws<FileNotFoundException>(() => f.ReadVocabulary());
        Assert.Contains("vocab.txt", ex.Message);
    }

    [Theory]
    [InlineData(null, null, true, true)]
    [InlineData(true, false, true, false)]
    [InlineData(false, null, false, false)]
    [InlineData(false, true, false, true)]
    public void ToTokenizerOptions_FolderSettings_FollowHuggingFaceRules(bool? lower, bool? strip, bool expectedLower, bool expectedStrip)
    {
        var options = new TokenizerConfig { LowerCase = lower, StripAccents = strip }.ToTokenizerOptions();

        Assert.Equal(expectedLower, options.LowerCase);
        Assert.Equal(expectedStrip, options.StripAccents);
    }

    [Fact]
    public void ToTokenizerOptions_CallerOverrides_WinOverTheFolder()
    {
        var options = new TokenizerConfig { LowerCase = true, StripAccents = true }.ToTokenizerOptions(lowerCase: false, stripAccents: false);

        Assert.False(options.LowerCase);
        Assert.False(options.StripAccents);
    }

    [Fact]
    public void Open_HuggingFaceFiles_ReadsAddedTokenObjectsAndSentenceTransformersModules()
    {
        var folder = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(folder, "config.json"), """{ "model_type": "distilbert", "max_position_embeddings": 512, "dim": 768 }""");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """
            { "do_lower_case": true, "strip_accents": null, "model_max_length": 1000000000000000019884624838656,
              "cls_token": { "content": "<s>", "lstrip": false }, "sep_token": "</s>", "tokenizer_class": "DistilBertTokenizer" }
            """);
        File.WriteAllText(Path.Combine(folder, "modules.json"), """
            [ { "idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer" },
              { "idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling" },
              { "idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize" } ]
            """);
        File.WriteAllText(Path.Combine(folder, "sentence_bert_config.json"), """{ "max_seq_length": 256, "do_lower_case": false }""");
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        File.WriteAllText(Path.Combine(folder, "1_Pooling", "config.json"), """
            { "word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
              "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false }
            """);

        var f = EncoderFolder.Open(folder);

        Assert.Equal(512, f.MaxPositionEmbeddings);
        Assert.True(f.Tokenizer.LowerCase);
        Assert.Null(f.Tokenizer.StripAccents);
        Assert.Null(f.Tokenizer.ModelMaxLength);
        Assert.Equal("<s>", f.Tokenizer.ClsToken);
        Assert.Equal("</s>", f.Tokenizer.SepToken);
        Assert.Equal("[PAD]", f.Tokenizer.PadToken);
        Assert.Equal("DistilBertTokenizer", f.Tokenizer.TokenizerClass);
        var st = Assert.IsType<SentenceTransformersConfig>(f.SentenceTransformers);
        Assert.Equal(EmbeddingPooling.Mean, st.Pooling);
        Assert.True(st.Normalize);
        Assert.Equal(256, st.MaxSeqLength);
        Assert.Equal(384, st.WordEmbeddingDimension);
        Assert.Empty(st.Prompts);
        Assert.Null(st.QueryPrompt);
        Assert.True(st.IncludePrompt);
    }

    [Fact]
    public void Open_PoolingModeThisLibraryLacks_ReportsItWithoutAPooling()
    {
        var folder = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(folder, "modules.json"), """[ { "path": "1_Pooling", "type": "sentence_transformers.models.Pooling" } ]""");
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        File.WriteAllText(Path.Combine(folder, "1_Pooling", "config.json"), """{ "pooling_mode_mean_sqrt_len_tokens": true }""");

        var st = Assert.IsType<SentenceTransformersConfig>(EncoderFolder.Open(folder).SentenceTransformers);

        Assert.Null(st.Pooling);
        Assert.Equal(["mean_sqrt_len_tokens"], st.PoolingModes);
        Assert.False(st.Normalize);
    }

    [Theory]
    [InlineData("tokenizer_config.json", "{ not json")]
    [InlineData("config.json", "[1, 2]")]
    [InlineData("modules.json", "{}")]
    public void Open_MalformedJson_NamesTheFile(string file, string text)
    {
        var folder = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(folder, file), text);

        var ex = Assert.Throws<InvalidDataException>(() => EncoderFolder.Open(folder));

        Assert.Contains(Path.Combine(folder, file), ex.Message);
    }

    [Fact]
    public void Write_SentenceTransformersWithoutPooling_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => EncoderFolder.Write(TestPaths.NewTempDir(), new EncoderFolderContent
        {
            Config = TinyConfig, SentenceTransformers = new SentenceTransformersConfig(),
        }));

        Assert.Contains("Pooling", ex.Message);
    }

    [Fact]
    public void Write_Twice_ReplacesFilesWholeAndLeavesOthers()
    {
        var folder = TestPaths.NewTempDir();
        EncoderFolder.Write(folder, new EncoderFolderContent { Vocabulary = [1, 2, 3], OnnxModel = [9] });

        var f = EncoderFolder.Write(folder, new EncoderFolderContent { Vocabulary = [4] });

        Assert.Equal([4], f.ReadVocabulary());
        Assert.Equal([9], File.ReadAllBytes(f.ModelPath));
        Assert.Equal(2, Directory.GetFiles(folder).Length);
    }
}
