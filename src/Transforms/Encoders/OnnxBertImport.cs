using System.Text.Json;
using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.IO;
using MlNetIso.Onnx;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Turns an ONNX export of a BERT-family encoder (Devlin et al., arXiv 1810.04805: absolute positions,
/// post-LayerNorm layers) back into a Hugging Face checkpoint folder — <c>config.json</c> and
/// <c>model.safetensors</c> with <c>BertModel</c> tensor names — so that the TorchSharp encoder can fine-tune it.
/// Pure C#: the graph is read with the project's ONNX protobuf classes.
/// </summary>
/// <remarks>
/// <para>Weights are found by the graph's structure, never by initializer names (exporters often leave them
/// anonymous, e.g. <c>onnx::MatMul_1234</c> or <c>927</c>):</para>
/// <list type="bullet">
/// <item>word / token-type tables: the Gathers of constant 2-D tables indexed by <c>input_ids</c> /
/// <c>token_type_ids</c>; position table: a Gather indexed by position ids 0..S−1 (a Slice from 0 of a constant
/// arange, or Range(0, S, 1)), or a Slice of its first S rows; all terms of the Add chain that sums them;</item>
/// <item>LayerNorm γ, β, ε: a <c>LayerNormalization</c> node, or the decomposition
/// ReduceMean → Sub → Pow(2)/Mul → ReduceMean → Add(ε) → Sqrt → Div → Mul(γ) → Add(β);</item>
/// <item>per layer: the three MatMuls reading the hidden state, each followed by a bias Add; the one whose path meets
/// the softmax output is the value, of the two meeting in the scores MatMul the left one is the query; the scale
/// between them must be 1/√d_head; heads and head size come from the constant shape of the Reshape after the query
/// (a constant tensor, or a Concat ending in two constants); then attention output dense + residual + LayerNorm,
/// intermediate dense, activation (exact erf GELU → <c>gelu</c>; tanh GELU → <c>gelu_new</c>; Relu → <c>relu</c>),
/// output dense + residual + LayerNorm;</item>
/// <item>a MatMul weight is a constant [in, out] (stored transposed to the Linear layout [out, in]) or a Transpose
/// of a constant [out, in]; float16/bfloat16/double weights are widened/narrowed to float32;</item>
/// <item>the pooler, when present: Gather(axis 1, index 0) → Gemm or MatMul + Add → Tanh.</item>
/// </list>
/// <para>Not supported (the error says what was not found): graphs optimised by ONNX Runtime (fused
/// EmbedLayerNormalization/Attention), position ids given as a graph input, relative position embeddings,
/// pre-LayerNorm layers, models without token-type embeddings (DistilBERT).</para>
/// </remarks>
public static class OnnxBertImport
{
    private static readonly JsonSerializerOptions ConfigJson = new() { WriteIndented = true };

    /// <summary>
    /// Reads the BERT export at <paramref name="onnxPath"/> and writes <c>config.json</c> and <c>model.safetensors</c>
    /// (float32, Hugging Face names, the pooler included when the graph has one) into <paramref name="outputFolder"/>;
    /// <c>vocab.txt</c> and <c>tokenizer_config.json</c> beside the ONNX file are copied too. Every file is written
    /// atomically.
    /// </summary>
    /// <returns>The inferred configuration.</returns>
    /// <exception cref="FileNotFoundException">No such ONNX file.</exception>
    /// <exception cref="InvalidDataException">Not a valid ONNX file, or not a recognised BERT graph; the message names
    /// the file and what was not found.</exception>
    public static BertConfig ToHuggingFaceFolder(string onnxPath, string outputFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        var (config, tensors) = Read(onnxPath);
        var sourceFolder = OnnxModelFile.FolderOf(onnxPath);
        var target = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(target);

        config = config with { PadTokenId = PadId(Path.Combine(sourceFolder, "vocab.txt")) ?? config.PadTokenId };
        AtomicFile.Write(Path.Combine(target, "model.safetensors"), s => SafeTensors.Write(s, tensors));
        AtomicFile.WriteAllBytes(Path.Combine(target, "config.json"), ConfigBytes(config));
        foreach (var side in new[] { "vocab.txt", "tokenizer_config.json" })
        {
            var from = Path.Combine(sourceFolder, side);
            var to = Path.Combine(target, side);
            if (File.Exists(from) && !string.Equals(Path.GetFullPath(from), to, StringComparison.Ordinal))
                AtomicFile.WriteAllBytes(to, File.ReadAllBytes(from));
        }
        return config;
    }

    /// <summary>The configuration and the float32 weights (Hugging Face names) recovered from <paramref name="onnxPath"/>.</summary>
    internal static (BertConfig Config, IReadOnlyDictionary<string, NamedTensor> Tensors) Read(string onnxPath)
    {
        var full = Path.GetFullPath(onnxPath);
        var model = OnnxModelFile.Load(full);
        var folder = OnnxModelFile.FolderOf(full);
        var found = BertGraphReader.Read(model, folder, full);
        var tensors = new SortedDictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in found.Tensors)
            tensors[name] = tensor.ToNamedTensor(folder);
        return (found.Config, tensors);
    }

    /// <summary>Only the configuration of the BERT export at <paramref name="onnxPath"/> (no weights are converted).</summary>
    internal static BertConfig InferConfig(string onnxPath)
    {
        var full = Path.GetFullPath(onnxPath);
        var model = OnnxModelFile.Load(full);
        return BertGraphReader.Read(model, OnnxModelFile.FolderOf(full), full).Config;
    }

    /// <summary><paramref name="config"/> as the UTF-8 bytes of a Hugging Face <c>config.json</c>.</summary>
    internal static byte[] ConfigBytes(BertConfig config) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(config, ConfigJson) + "\n");

    /// <summary>The line index of [PAD] in a vocab.txt, or null when there is no such file or line.</summary>
    private static int? PadId(string vocabPath)
    {
        if (!File.Exists(vocabPath)) return null;
        int index = 0;
        foreach (var line in File.ReadLines(vocabPath))
        {
            if (line == "[PAD]") return index;
            index++;
        }
        return null;
    }
}
