using MlNetIso.Onnx.Bert;
using MlNetIso.Trainers.Encoders;

namespace MlNetIso.Trainers.Tests.Encoders;

public class BertCheckpointTests
{
    [Fact]
    public void SaveFolderThenLoadFolder_GivesIdenticalOutputs()
    {
        var config = TinyConfigs.Config();
        using var e = TinyConfigs.Encoder(config, 21);
        var dir = TestPaths.NewTempDir();
        BertCheckpoint.SaveFolder(e, dir);
        Assert.True(File.Exists(Path.Combine(dir, "config.json")));
        using var loaded = BertCheckpoint.LoadFolder(dir);
        loaded.eval();
        Assert.Equal(config, loaded.Config with { Architectures = config.Architectures });
        var b = TinyConfigs.Batch(config.VocabSize, [5, 2], 3);
        Assert.Equal(TinyConfigs.LastHidden(e, b), TinyConfigs.LastHidden(loaded, b));
    }

    [Fact]
    public void Load_AcceptsBertPrefixGammaBetaAndIgnoresPoolerAndHeads()
    {
        var config = TinyConfigs.Config();
        using var source = TinyConfigs.Encoder(config, 5);
        var tensors = BertCheckpoint.ToNamedTensors(source).ToDictionary(
            kv => "bert." + kv.Key.Replace("LayerNorm.weight", "LayerNorm.gamma").Replace("LayerNorm.bias", "LayerNorm.beta"),
            kv => kv.Value);
        tensors["bert.pooler.dense.weight"] = new NamedTensor([32, 32], new float[32 * 32]);
        tensors["cls.predictions.bias"] = new NamedTensor([50], new float[50]);
        tensors["bert.embeddings.position_ids"] = new NamedTensor([1, 24], new float[24]);
        using var target = TinyConfigs.Encoder(config, 6);
        BertCheckpoint.Load(target, tensors);
        var b = TinyConfigs.Batch(config.VocabSize, [4], 1);
        Assert.Equal(TinyConfigs.LastHidden(source, b), TinyConfigs.LastHidden(target, b));
    }

    [Fact]
    public void Load_ListsEveryMissingUnknownAndMisshapedTensorInOneError()
    {
        var config = TinyConfigs.Config();
        using var e = TinyConfigs.Encoder(config, 5);
        var tensors = BertCheckpoint.ToNamedTensors(e).ToDictionary();
        tensors.Remove("encoder.layer.1.output.dense.bias");
        tensors.Remove("embeddings.LayerNorm.weight");
        tensors["encoder.layer.0.attention.self.rotary.weight"] = new NamedTensor([1], [0f]);
        tensors["encoder.layer.0.attention.self.key.bias"] = new NamedTensor([31], new float[31]);
        var error = Assert.Throws<InvalidDataException>(() => BertCheckpoint.Load(e, tensors, "my.safetensors")).Message;
        Assert.Contains("my.safetensors", error);
        Assert.Contains("missing tensors: embeddings.LayerNorm.weight, encoder.layer.1.output.dense.bias", error);
        Assert.Contains("unknown tensors: encoder.layer.0.attention.self.rotary.weight", error);
        Assert.Contains("encoder.layer.0.attention.self.key.bias: checkpoint [31] vs encoder [32]", error);
    }

    [Fact]
    public void LoadFolder_MissingFolderOrWeights_NamesThePath()
    {
        var dir = TestPaths.NewTempDir();
        Assert.Throws<DirectoryNotFoundException>(() => BertCheckpoint.LoadFolder(Path.Combine(dir, "absent")));
        TinyConfigs.Config().Save(Path.Combine(dir, "config.json"));
        var e = Assert.Throws<FileNotFoundException>(() => BertCheckpoint.LoadFolder(dir));
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void ToNamedTensors_CopiesValuesWithTorchShapes()
    {
        using var e = TinyConfigs.Encoder(TinyConfigs.Config(), 2);
        var t = BertCheckpoint.ToNamedTensors(e)["encoder.layer.0.intermediate.dense.weight"];
        Assert.Equal([64L, 32L], t.Shape);
        var w = e.state_dict()["encoder.layer.0.intermediate.dense.weight"];
        Assert.Equal(w[3, 5].item<float>(), t.Data[3 * 32 + 5]);
    }
}
