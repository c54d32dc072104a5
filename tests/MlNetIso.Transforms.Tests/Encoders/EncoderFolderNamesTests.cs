using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Transforms.Tests.Embedding;

namespace MlNetIso.Transforms.Tests.Encoders;

/// <summary>
/// <see cref="EncoderFolder.Open(string, string?)"/> resolves the built-in names (and only when no such path exists),
/// and <see cref="EncoderFolder.EnsureWeights"/> gives any ONNX encoder Hugging Face weights, once and atomically.
/// </summary>
[Collection(BuiltInCacheCollection.Name)]
public class EncoderFolderNamesTests(TempModelCache cache)
{
    [Theory]
    [InlineData("all-MiniLM-L6-v2", "all-MiniLM-L6-v2")]
    [InlineData("sentence-transformers/ALL-MINILM-L6-V2", "all-MiniLM-L6-v2")]
    [InlineData("snowflake-arctic-embed-xs", "snowflake-arctic-embed-xs")]
    public void Open_BuiltInName_IsItsCacheEntryWithItsConventions(string name, string canonical)
    {
        var folder = EncoderFolder.Open(name, cache.Root);

        Assert.Equal(cache.Folder(canonical), folder.Folder);
        Assert.Equal(BuiltInEncoders.Get(canonical), folder.BuiltIn);
        Assert.True(folder.HasModel && folder.HasVocabulary && folder.HasConfig);
        var st = Assert.IsType<SentenceTransformersConfig>(folder.SentenceTransformers);
        var expected = BuiltInEncoders.Get(canonical);
        Assert.Equal((expected.Pooling, expected.Normalize, expected.MaxSequenceLength, expected.QueryPrefix, (string?)null),
            (st.Pooling, st.Normalize, st.MaxSeqLength, st.QueryPrompt, st.DocumentPrompt));
        Assert.Equal(expected.MaxSequenceLength, folder.Tokenizer.ModelMaxLength);
        Assert.Equal(384, st.WordEmbeddingDimension);
    }

    [Fact]
    public void Open_ExistingFolderNamedLikeABuiltIn_WinsOverTheName()
    {
        // Relative to the working directory, as a user would type it; no other test opens this Hugging Face id.
        const string relative = "Snowflake/snowflake-arctic-embed-xs";
        var full = Path.GetFullPath(relative);
        Directory.CreateDirectory(full);
        try
        {
            Assert.True(EncoderFolder.CanOpen(relative));
            var folder = EncoderFolder.Open(relative, cache.Root);
            Assert.Equal(full, folder.Folder);
            Assert.Null(folder.BuiltIn);
            Assert.False(folder.HasModel);
        }
        finally
        {
            Directory.Delete(Path.GetFullPath("Snowflake"), recursive: true);
        }
    }

    [Theory]
    [InlineData("mlnetiso-mini", true)]
    [InlineData("Snowflake/snowflake-arctic-embed-xs", true)]
    [InlineData("all-MiniLM-L12-v2", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void CanOpen_NamesAndExistingPaths(string? nameOrPath, bool expected)
    {
        Assert.Equal(expected, EncoderFolder.CanOpen(nameOrPath));
        Assert.True(EncoderFolder.CanOpen(TestPaths.RepoRoot));
        Assert.True(EncoderFolder.CanOpen(Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini", "model.onnx")));
    }

    [Fact]
    public void EnsureWeights_OnnxOnlyFolder_IsImportedIntoTheCacheOnce_AndTheFolderIsLeftAlone()
    {
        var encoder = new TestEncoderFolder(seed: 31, writeConfig: false);
        var before = Directory.GetFiles(encoder.Folder).Order().ToArray();
        var root = TestPaths.NewTempDir();

        var imported = EncoderFolder.Open(encoder.Folder).EnsureWeights(root);

        Assert.Equal(Path.Combine(root, "imported"), Path.GetDirectoryName(imported.Folder));
        Assert.Matches("^[0-9a-f]{16}$", Path.GetFileName(imported.Folder));
        Assert.True(imported.HasWeights && imported.HasConfig && imported.HasVocabulary);
        Assert.Equal(before, Directory.GetFiles(encoder.Folder).Order().ToArray());
        Assert.Equal(16, imported.LoadBertConfig().HiddenSize);
        var expected = OnnxBertImport.Read(encoder.ModelPath).Tensors;
        var weights = imported.ReadWeights();
        Assert.Equal(expected.Keys.Order(), weights.Keys.Order());
        Assert.All(expected, kv => Assert.Equal(kv.Value.Data, weights[kv.Key].Data));
        Assert.Empty(Directory.GetDirectories(Path.Combine(root, "imported"), ".tmp-*"));

        var written = File.GetLastWriteTimeUtc(imported.WeightsPath);
        var again = EncoderFolder.Open(encoder.ModelPath).EnsureWeights(root);
        Assert.Equal(imported.Folder, again.Folder);
        Assert.Equal(written, File.GetLastWriteTimeUtc(again.WeightsPath));

        // A re-exported model is a different entry, never the stale one.
        File.WriteAllBytes(encoder.ModelPath, new TestEncoderFolder(seed: 32, writeConfig: false).ModelBytes);
        var reexported = EncoderFolder.Open(encoder.Folder).EnsureWeights(root);
        Assert.NotEqual(imported.Folder, reexported.Folder);
        Assert.NotEqual(weights["embeddings.word_embeddings.weight"].Data, reexported.ReadWeights()["embeddings.word_embeddings.weight"].Data);
    }

    [Fact]
    public void EnsureWeights_BuiltIn_AddsSafetensorsToItsEntry_WhichStaysValid()
    {
        var root = TestPaths.NewTempDir();
        try
        {
            var opened = EncoderFolder.Open("mlnetiso-mini", root);
            Assert.False(opened.HasWeights);

            var withWeights = opened.EnsureWeights();

            Assert.Equal(opened.Folder, withWeights.Folder);
            Assert.True(withWeights.HasWeights);
            Assert.Null(BuiltInEncoderCache.Problem(BuiltInEncoders.MlNetIsoMini, opened.Folder));
            Assert.Equal(opened.Folder, BuiltInEncoders.Materialize("mlnetiso-mini", root));
            Assert.True(File.Exists(withWeights.WeightsPath), "re-verifying the entry keeps the imported weights");
            // The demo encoder's own checkpoint is in the repository: the import recovers it.
            var original = SafeTensors.Read(Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini", "model.safetensors"));
            var recovered = withWeights.ReadWeights();
            foreach (var (name, tensor) in original)
                Assert.Equal(tensor.Data, recovered[name].Data);
            Assert.Same(withWeights, withWeights.EnsureWeights());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void EnsureWeights_NothingToRecoverFrom_NamesTheFolder()
    {
        var folder = TestPaths.NewTempDir();

        var e = Assert.Throws<FileNotFoundException>(() => EncoderFolder.Open(folder).EnsureWeights(TestPaths.NewTempDir()));

        Assert.Contains(folder, e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }
}
