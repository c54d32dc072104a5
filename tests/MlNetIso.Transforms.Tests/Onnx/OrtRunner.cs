using Microsoft.ML.OnnxRuntime;
using MlNetIso.Transforms.Tests.Onnx.Bert;

namespace MlNetIso.Transforms.Tests.Onnx;

/// <summary>Runs ONNX models with ONNX Runtime (CPU, one thread) on named float / int64 inputs.</summary>
internal static class OrtRunner
{
    public static SessionOptions Options(GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_BASIC) =>
        new() { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = level };

    public static InferenceSession Session(byte[] model) => new(model, Options());

    /// <summary>Runs the model and returns every requested output as a flat float array.</summary>
    public static float[][] Run(InferenceSession session, IReadOnlyList<(string Name, Array Data, long[] Shape)> inputs,
        params string[] outputs)
    {
        var values = new List<OrtValue>();
        try
        {
            foreach (var (_, data, shape) in inputs)
                values.Add(data switch
                {
                    float[] f => OrtValue.CreateTensorValueFromMemory(f, shape),
                    long[] l => OrtValue.CreateTensorValueFromMemory(l, shape),
                    int[] i => OrtValue.CreateTensorValueFromMemory(i, shape),
                    bool[] b => OrtValue.CreateTensorValueFromMemory(b, shape),
                    _ => throw new ArgumentException($"Unsupported input array {data.GetType()}."),
                });
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), values, outputs);
            return results.Select(r => r.GetTensorDataAsSpan<float>().ToArray()).ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public static float[][] Run(byte[] model, IReadOnlyList<(string Name, Array Data, long[] Shape)> inputs, params string[] outputs)
    {
        using var session = Session(model);
        return Run(session, inputs, outputs);
    }

    /// <summary>Runs a BERT-contract model on a padded batch.</summary>
    public static float[][] RunBert(byte[] model, TinyBert.Batch batch, params string[] outputs)
    {
        long[] shape = [batch.Size, batch.Length];
        return Run(model,
            [("input_ids", batch.Ids, shape), ("attention_mask", batch.Mask, shape), ("token_type_ids", batch.Types, shape)],
            outputs.Length == 0 ? ["last_hidden_state"] : outputs);
    }
}
