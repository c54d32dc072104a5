using Google.Protobuf;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.Proto;
using MlNetIso.Onnx;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Transforms.Embedding.Tokenization;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;
using Xunit.Abstractions;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Trainers.Tests.Encoders;

/// <summary>
/// ONNX → Hugging Face import: the TorchSharp <see cref="BertEncoder"/> loaded from the imported folder must equal
/// ONNX Runtime on the original graph (last_hidden_state, padded batches of mixed lengths, max |Δ| ≤ 1e-4).
/// </summary>
public class OnnxBertImportTests(TempModelCache real, ITestOutputHelper output) : IClassFixture<TempModelCache>
{
    private const double Tolerance = 1e-4;

    private static BertConfig RandomConfig => TinyConfigs.Config(hidden: 48, layers: 3, heads: 4, vocab: 61, intermediate: 96, maxPositions: 40)
        with { TypeVocabSize = 3, LayerNormEps = 1e-7 };

    public static TheoryData<int, bool> RandomVariants => new()
    {
        { 17, false }, // LayerNormalization nodes, HF tensor names on the initializers
        { 14, false }, // LayerNorm decomposed into ReduceMean/Sub/Mul/Sqrt/Div/Mul/Add
        { 17, true },  // anonymous initializer names, Linear weights stored [out, in] behind Transpose nodes
        { 14, true },
    };

    [Theory]
    [MemberData(nameof(RandomVariants))]
    public void RandomExport_ImportedEncoderEqualsOrtAndRecoversEveryTensor(int opset, bool anonymousTransposed)
    {
        var config = RandomConfig;
        using var source = TinyConfigs.Encoder(config, 40 + opset);
        var weights = BertCheckpoint.ToNamedTensors(source);
        var onnx = BertOnnxWriter.Write(config, weights, new BertOnnxWriterOptions { Opset = opset, IncludeSentenceEmbedding = true });
        if (anonymousTransposed) onnx = AnonymiseAndTranspose(onnx);
        var dir = TestPaths.NewTempDir();
        var onnxPath = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(onnxPath, onnx);

        var outDir = Path.Combine(dir, "hf");
        var imported = OnnxBertImport.ToHuggingFaceFolder(onnxPath, outDir);
        Assert.Equal(config, imported with { Architectures = config.Architectures });

        var tensors = SafeTensors.Read(Path.Combine(outDir, "model.safetensors"));
        Assert.Equal(weights.Keys.Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, expected) in weights)
        {
            Assert.Equal(expected.Shape, tensors[name].Shape);
            Assert.True(expected.Data.AsSpan().SequenceEqual(tensors[name].Data), $"{name} differs after the import");
        }

        using var encoder = BertCheckpoint.LoadFolder(outDir);
        encoder.eval();
        var batch = TinyConfigs.Batch(config.VocabSize, [11, 3, 1, 7, 9], 5, typeVocab: 3);
        var torch = TinyConfigs.LastHidden(encoder, batch);
        var ort = OnnxExportTests.RunOnnx(onnx, batch.Ids, batch.Mask, batch.Types, batch.Shape);
        AssertClose(torch, ort, $"random export, opset {opset}, anonymous/transposed {anonymousTransposed}");
    }

    [Theory]
    [InlineData("all-MiniLM-L6-v2", true)]
    [InlineData("snowflake-arctic-embed-xs", false)]
    public void RealModel_ImportedEncoderEqualsOrtOnPaddedText(string name, bool hasPooler)
    {
        var folder = real.Folder(name);
        var onnxPath = Path.Combine(folder, "model.onnx");
        var outDir = Path.Combine(real.Root, "imported-" + name);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var config = OnnxBertImport.ToHuggingFaceFolder(onnxPath, outDir);
        output.WriteLine($"{name}: import {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal((384, 6, 12, 1536, 512, 30522), (config.HiddenSize, config.NumHiddenLayers, config.NumAttentionHeads,
            config.IntermediateSize, config.MaxPositionEmbeddings, config.VocabSize));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "vocab.txt")), File.ReadAllBytes(Path.Combine(outDir, "vocab.txt")));
        Assert.Equal(hasPooler, SafeTensors.Read(Path.Combine(outDir, "model.safetensors")).ContainsKey("pooler.dense.weight"));

        var tokenizer = BertTextTokenizer.Create(Path.Combine(outDir, "vocab.txt"));
        string[] texts =
        [
            "The quick brown fox jumps over the lazy dog.",
            "ok",
            "Sentence encoders map text to vectors; isotropy measures how evenly those vectors fill the space.",
            "Café naïve résumé — 東京 and emoji 😀!",
            "Represent this sentence for searching relevant passages: where is the cache folder?",
        ];
        var rows = texts.Select(t => tokenizer.Encode(t, 64)).ToArray();
        int length = rows.Max(r => r.Length);
        var ids = new long[rows.Length * length];
        var mask = new long[ids.Length];
        for (int r = 0; r < rows.Length; r++)
            for (int t = 0; t < rows[r].Length; t++)
            {
                ids[r * length + t] = rows[r][t];
                mask[r * length + t] = 1;
            }
        var batch = (ids, mask, new long[ids.Length], new long[] { rows.Length, length });

        clock.Restart();
        using var encoder = BertCheckpoint.LoadFolder(outDir);
        encoder.eval();
        var torch = TinyConfigs.LastHidden(encoder, batch);
        var ort = OnnxExportTests.RunOnnx(File.ReadAllBytes(onnxPath), batch.Item1, batch.Item2, batch.Item3, batch.Item4);
        output.WriteLine($"{name}: load + TorchSharp + ORT on {rows.Length} texts {clock.Elapsed.TotalSeconds:F2} s");
        AssertClose(torch, ort, name);
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "embeddings LayerNorm removed", "no LayerNormalization after the embeddings Add" },
        { "fused attention", "it holds fused operators" },
        { "input_ids renamed", "no graph input 'input_ids'" },
        { "attention scale changed", "the attention scores are scaled by" },
        { "query bias removed", "no bias Add" },
        { "position table not sliced from 0", "from a Slice node, which is not an embedding lookup" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void UnrecognisedGraph_FailsSayingWhatWasNotFound(string damage, string expected)
    {
        var config = RandomConfig;
        using var source = TinyConfigs.Encoder(config, 3);
        var model = ModelProto.Parser.ParseFrom(BertOnnxWriter.Write(config, BertCheckpoint.ToNamedTensors(source)));
        var g = model.Graph;
        switch (damage)
        {
            case "embeddings LayerNorm removed":
                var ln = g.Node.First(n => n.OpType == "LayerNormalization");
                var bypass = new NodeProto { OpType = "Identity", Name = "bypass", Input = { ln.Input[0] }, Output = { ln.Output[0] } };
                g.Node[g.Node.IndexOf(ln)] = bypass;
                break;
            case "fused attention":
                g.Node.First(n => n.OpType == "Softmax").OpType = "Attention";
                break;
            case "input_ids renamed":
                g.Input.First(i => i.Name == "input_ids").Name = "ids";
                foreach (var n in g.Node)
                    for (int i = 0; i < n.Input.Count; i++)
                        if (n.Input[i] == "input_ids") n.Input[i] = "ids";
                break;
            case "attention scale changed":
                var div = g.Node.First(n => n.OpType == "Div" && g.Node.Any(m => m.OpType == "MatMul" && m.Output[0] == n.Input[0]));
                var scale = g.Initializer.First(t => t.Name == div.Input[1]);
                scale.RawData = ByteString.CopyFrom(BitConverter.GetBytes(2f));
                break;
            case "query bias removed":
                var queryAdd = g.Node.First(n => n.OpType == "Add" && n.Input.Contains("encoder.layer.0.attention.self.query.bias"));
                var product = queryAdd.Input.First(i => i != "encoder.layer.0.attention.self.query.bias");
                g.Node[g.Node.IndexOf(queryAdd)] = new NodeProto { OpType = "Identity", Name = "nobias", Input = { product }, Output = { queryAdd.Output[0] } };
                break;
            case "position table not sliced from 0":
                var slice = g.Node.First(n => n.OpType == "Slice" && n.Input[0] == "embeddings.position_embeddings.weight");
                var start = g.Initializer.First(t => t.Name == slice.Input[1]);
                start.RawData = ByteString.CopyFrom(BitConverter.GetBytes(2L));
                break;
        }
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var error = Assert.Throws<InvalidDataException>(() => OnnxBertImport.ToHuggingFaceFolder(path, Path.Combine(dir, "hf"))).Message;
        Assert.Contains(path, error);
        Assert.Contains(expected, error);
        Assert.False(File.Exists(Path.Combine(dir, "hf", "model.safetensors")));
    }

    [Fact]
    public void MissingOnnxFile_NamesIt()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "absent.onnx");
        var error = Assert.Throws<FileNotFoundException>(() => OnnxBertImport.ToHuggingFaceFolder(path, TestPaths.NewTempDir())).Message;
        Assert.Contains(path, error);
    }

    private void AssertClose(float[] torch, float[] ort, string what)
    {
        Assert.Equal(ort.Length, torch.Length);
        double max = 0;
        for (int i = 0; i < ort.Length; i++) max = Math.Max(max, Math.Abs(torch[i] - ort[i]));
        output.WriteLine($"{what}: max |TorchSharp(imported) − ORT(original)| = {max:E2} over {ort.Length} values");
        Assert.True(max <= Tolerance, $"{what}: max |TorchSharp(imported) − ORT(original)| = {max:E2} > {Tolerance:E0}");
    }

    /// <summary>
    /// Renames every initializer to an anonymous exporter-style name and stores each MatMul weight as [out, in]
    /// behind a Transpose node, as some exporters do.
    /// </summary>
    private static byte[] AnonymiseAndTranspose(byte[] onnx)
    {
        var model = ModelProto.Parser.ParseFrom(onnx);
        var g = model.Graph;
        var rename = new Dictionary<string, string>();
        for (int i = 0; i < g.Initializer.Count; i++)
        {
            var t = g.Initializer[i];
            var anonymous = $"onnx::Anon_{1000 + i}";
            rename[t.Name] = anonymous;
            t.Name = anonymous;
        }
        foreach (var n in g.Node)
            for (int i = 0; i < n.Input.Count; i++)
                if (rename.TryGetValue(n.Input[i], out var to)) n.Input[i] = to;

        var transposes = new List<NodeProto>();
        foreach (var matMul in g.Node.Where(n => n.OpType == "MatMul").ToList())
        {
            var weight = g.Initializer.FirstOrDefault(t => t.Name == matMul.Input[1] && t.Dims.Count == 2);
            if (weight is null) continue;
            int rows = (int)weight.Dims[0], cols = (int)weight.Dims[1];
            var data = new float[rows * cols];
            Buffer.BlockCopy(weight.RawData.ToByteArray(), 0, data, 0, data.Length * 4);
            var transposed = new float[data.Length];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    transposed[c * rows + r] = data[r * cols + c];
            var bytes = new byte[transposed.Length * 4];
            Buffer.BlockCopy(transposed, 0, bytes, 0, bytes.Length);
            var stored = new TensorProto { Name = weight.Name + "_out_in", DataType = (int)DataType.Float, Dims = { cols, rows }, RawData = ByteString.CopyFrom(bytes) };
            g.Initializer.Remove(weight);
            g.Initializer.Add(stored);
            var transpose = new NodeProto { OpType = "Transpose", Name = weight.Name + "_T", Input = { stored.Name }, Output = { weight.Name } };
            transpose.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 0 } });
            transposes.Add(transpose);
        }
        for (int i = transposes.Count - 1; i >= 0; i--) g.Node.Insert(0, transposes[i]);
        return model.ToByteArray();
    }
}
