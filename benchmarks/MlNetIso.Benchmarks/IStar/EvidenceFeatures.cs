using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Embedding.Tokenization;
using MlNetIso.Transforms.Encoders;
using static TorchSharp.torch;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>Fixed sentence features for head-only I-STAR: hashed word n-grams, or mean-pooled encoder states.</summary>
internal static class EvidenceFeatures
{
    /// <summary>ML.NET hashed word uni+bigram bags (2^11 slots), L2-normalised, fitted on the training texts.</summary>
    public static (float[][] Train, float[][] Test) HashedBags(MLContext ml, LabelledText[] train, LabelledText[] test)
    {
        var pipeline = ml.Transforms.Text.NormalizeText("Norm", "Text")
            .Append(ml.Transforms.Text.ProduceHashedWordBags("Bag", "Norm", numberOfBits: 11, ngramLength: 2))
            .Append(ml.Transforms.NormalizeLpNorm("Features", "Bag"));
        var trainView = ml.Data.LoadFromEnumerable(train.Select(r => new TextRow { Text = r.Text }));
        var model = pipeline.Fit(trainView);
        float[][] Read(LabelledText[] rows) => model.Transform(ml.Data.LoadFromEnumerable(rows.Select(r => new TextRow { Text = r.Text })))
            .GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToArray();
        return (Read(train), Read(test));
    }

    /// <summary>
    /// Mean-pooled last-layer states of the encoder <paramref name="nameOrFolder"/> (a built-in name, or a folder with
    /// config.json, vocab.txt and model.safetensors or model.onnx).
    /// </summary>
    public static (float[][] Train, float[][] Test) Encoder(string nameOrFolder, LabelledText[] train, LabelledText[] test, int maxTokens = 64)
    {
        var folder = EncoderFolder.Open(nameOrFolder).EnsureWeights();
        using var encoder = BertCheckpoint.LoadFolder(folder);
        encoder.eval();
        var tokenizer = BertTextTokenizer.Create(folder.VocabularyPath);
        float[][] Embed(LabelledText[] rows)
        {
            var result = new List<float[]>(rows.Length);
            for (int start = 0; start < rows.Length; start += 64)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var ids = rows.Skip(start).Take(64).Select(r => tokenizer.Encode(r.Text, maxTokens)).ToArray();
                int length = ids.Max(r => r.Length);
                var idData = new long[ids.Length * length];
                var maskData = new long[ids.Length * length];
                for (int i = 0; i < ids.Length; i++)
                    for (int t = 0; t < ids[i].Length; t++)
                    {
                        idData[i * length + t] = ids[i][t];
                        maskData[i * length + t] = 1;
                    }
                var idTensor = tensor(idData, [ids.Length, length]);
                var mask = tensor(maskData, [ids.Length, length]);
                using var output = encoder.Forward(idTensor, mask);
                var pooled = EncoderPooling.Pool(output.LastHiddenState, mask, EmbeddingPooling.Mean).contiguous();
                var flat = pooled.data<float>().ToArray();
                int d = (int)pooled.shape[1];
                for (int i = 0; i < ids.Length; i++) result.Add(flat.AsSpan(i * d, d).ToArray());
            }
            return result.ToArray();
        }
        return (Embed(train), Embed(test));
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }
}
