using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Microsoft.ML;
using MlNetIso.Onnx.Proto;
using MlNetIso.Transforms.Tests.Persistence;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// Property-based fuzzing of the files an encoder folder holds (issue 13, item 4): a damaged <c>model.onnx</c> (flipped
/// bytes, truncation, and graph-level edits: a tensor dimension, an operator, a removed node, a rewired input, a tensor
/// type) or <c>vocab.txt</c> (flipped bytes, truncation, removed, duplicated, blank or invalid lines) must make Fit fail
/// with a documented exception (<see cref="InvalidDataException"/>, <see cref="NotSupportedException"/> or
/// <see cref="ArgumentException"/>) or give a transform that embeds or fails with its documented "Encoder '…' failed"
/// error, within a time limit.
/// </summary>
public sealed class EncoderFileFuzzTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly Lazy<TestEncoderFolder> Encoder = new(() => new TestEncoderFolder(seed: 71, maxPositions: 32));

    /// <summary>A graph-level edit of an ONNX model (kinds 2–6; 0–1 are byte flips and truncations of the file).</summary>
    private sealed record OnnxMutation(int Kind, int Seed)
    {
        public byte[] Apply(byte[] bytes)
        {
            if (Kind < PackageMutation.FileKinds) return new PackageMutation(Kind, Seed).ApplyToFile(bytes);
            var random = new Random(Seed);
            var model = ModelProto.Parser.ParseFrom(bytes);
            var graph = model.Graph;
            var tensors = graph.Initializer;
            switch (Kind)
            {
                case 2 when tensors.Count > 0:
                    var t = tensors[random.Next(tensors.Count)];
                    if (t.Dims.Count > 0) t.Dims[random.Next(t.Dims.Count)] = new long[] { 0, 1, 2, 3, 7, 31, 33, 1 << 20, -1 }[random.Next(9)];
                    break;
                case 3:
                    var ops = graph.Node.Select(n => n.OpType).Distinct().ToArray();
                    graph.Node[random.Next(graph.Node.Count)].OpType = ops[random.Next(ops.Length)];
                    break;
                case 4:
                    graph.Node.RemoveAt(random.Next(graph.Node.Count));
                    break;
                case 5:
                    var values = graph.Node.SelectMany(n => n.Output).Concat(graph.Input.Select(i => i.Name)).ToArray();
                    var node = graph.Node[random.Next(graph.Node.Count)];
                    if (node.Input.Count > 0) node.Input[random.Next(node.Input.Count)] = values[random.Next(values.Length)];
                    break;
                default:
                    if (tensors.Count > 0) tensors[random.Next(tensors.Count)].DataType = random.Next(1, 17);
                    break;
            }
            return model.ToByteArray();
        }

        public override string ToString() =>
            $"{(Kind < 2 ? new PackageMutation(Kind, Seed).ToString() : new[] { "", "", "change a tensor dimension", "change an operator", "remove a node", "rewire a node input", "change a tensor type" }[Kind])} (seed {Seed})";
    }

    /// <summary>A line-level edit of a vocabulary (kinds 2–6; 0–1 are byte flips and truncations of the file).</summary>
    private sealed record VocabularyMutation(int Kind, int Seed)
    {
        public byte[] Apply(byte[] bytes)
        {
            if (Kind < PackageMutation.FileKinds) return new PackageMutation(Kind, Seed).ApplyToFile(bytes);
            var random = new Random(Seed);
            var lines = Encoding.UTF8.GetString(bytes).Split('\n').ToList();
            var i = random.Next(lines.Count);
            switch (Kind)
            {
                case 2: lines.RemoveAt(i); break;                                   // a token (maybe [CLS], [SEP], [UNK]) goes missing
                case 3: lines.Insert(i, lines[random.Next(lines.Count)]); break;    // a duplicate
                case 4: lines.Insert(i, ""); break;                                 // a blank line
                case 5: lines.AddRange(Enumerable.Range(0, 1 + random.Next(200)).Select(k => $"extra{k}")); break; // more tokens than the model has rows
                default: return [.. bytes, 0xC3, 0x28, (byte)'\n'];               // invalid UTF-8
            }
            return Encoding.UTF8.GetBytes(string.Join('\n', lines));
        }

        public override string ToString() =>
            $"{(Kind < 2 ? new PackageMutation(Kind, Seed).ToString() : new[] { "", "", "remove a line", "duplicate a line", "insert a blank line", "append tokens", "append invalid UTF-8" }[Kind])} (seed {Seed})";
    }

    private static Arbitrary<T> Mutations<T>(Func<int, int, T> create) =>
        Gen.Choose(0, 6).Zip(Gen.Choose(0, int.MaxValue - 1)).Select(p => create(p.Item1, p.Item2)).ToArbitrary();

    [Fact]
    public void DamagedOnnxModels_FitOrFailWithADocumentedException()
    {
        var original = File.ReadAllBytes(Encoder.Value.ModelPath);
        Prop.ForAll(Mutations((k, s) => new OnnxMutation(k, s)), mutation =>
            FitAndEmbed(folder => File.WriteAllBytes(Path.Combine(folder, "model.onnx"), mutation.Apply(original)), mutation))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(FuzzAttempts.Count(40)));
    }

    [Fact]
    public void DamagedVocabularies_FitOrFailWithADocumentedException()
    {
        var original = File.ReadAllBytes(Encoder.Value.VocabPath);
        Prop.ForAll(Mutations((k, s) => new VocabularyMutation(k, s)), mutation =>
            FitAndEmbed(folder => File.WriteAllBytes(Path.Combine(folder, "vocab.txt"), mutation.Apply(original)), mutation))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(FuzzAttempts.Count(40)));
    }

    /// <summary>Copies the test encoder, damages it with <paramref name="damage"/>, fits τ = 0.8 and embeds three texts.</summary>
    private static void FitAndEmbed(Action<string> damage, object mutation)
    {
        var folder = TestPaths.NewTempDir();
        try
        {
            foreach (var file in Directory.GetFiles(Encoder.Value.Folder)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            damage(folder);
            var error = PackageEditor.Within(Limit, () =>
            {
                var ml = new MLContext(1);
                var data = Texts(ml, ["a good film", "", "the plot was long and boring and long and very long"]);
                var options = new Transforms.Embedding.TempScaleEmbeddingOptions { ModelPath = folder, Temperature = 0.8f, BatchSize = 2 };
                using var model = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(data);
                _ = ReadVectors(model.Transform(data), "E");
            });
            if (error is NotSupportedException or ArgumentException) return;
            PackageFuzzTests.AssertDocumented(error, mutation);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
