using Microsoft.ML.OnnxRuntime;
using MlNetIso.Onnx.Bert;
using MlNetIso.Trainers.Encoders;

namespace MlNetIso.Trainers.Tests.Encoders;

/// <summary>Export = TorchSharp state_dict → Hugging Face NamedTensors → BertOnnxWriter; ORT must reproduce TorchSharp.</summary>
public class OnnxExportTests
{
    internal static float[] RunOnnx(byte[] model, long[] ids, long[] mask, long[] types, long[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var a = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var b = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var c = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var run = new RunOptions();
        using var results = session.Run(run, ["input_ids", "attention_mask", "token_type_ids"], [a, b, c], ["last_hidden_state"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    [Theory]
    [InlineData(16, 1, 2, 40, 1)]
    [InlineData(32, 2, 4, 64, 2)]
    [InlineData(48, 3, 3, 96, 3)]
    [InlineData(64, 2, 8, 128, 4)]
    public void ExportedModel_MatchesTorchSharpOnPaddedBatches(int hidden, int layers, int heads, int intermediate, int seed)
    {
        var config = TinyConfigs.Config(hidden, layers, heads, vocab: 37 + seed, intermediate: intermediate, maxPositions: 16);
        using var encoder = TinyConfigs.Encoder(config, seed);
        var onnx = BertOnnxWriter.Write(config, BertCheckpoint.ToNamedTensors(encoder));
        var batch = TinyConfigs.Batch(config.VocabSize, [9, 4, 1, 7], seed + 10);
        var torch = TinyConfigs.LastHidden(encoder, batch);
        var ort = RunOnnx(onnx, batch.Ids, batch.Mask, batch.Types, batch.Shape);
        Assert.Equal(torch.Length, ort.Length);
        double maxDiff = torch.Zip(ort).Max(t => Math.Abs(t.First - t.Second));
        Assert.True(maxDiff <= 1e-4, $"max |TorchSharp − ORT| = {maxDiff:E2} for hidden {hidden}, layers {layers}");
    }
}
