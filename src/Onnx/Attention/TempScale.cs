using System.Globalization;
using Google.Protobuf;
using MlNetIso.Onnx.Proto;

namespace MlNetIso.Onnx.Attention;

/// <summary>
/// TempScale (Zhou, Dai, Cao, Zhang, Xu, "Length-Induced Embedding Collapse in PLM-based Models", arXiv 2410.24200,
/// ACL 2025) as an ONNX graph rewrite: every self-attention softmax of an encoder becomes
/// A = softmax((Q·Kᵀ/√d_head + M)/τ), in every layer and head, with one global temperature τ (τ &lt; 1 sharpens
/// attention; the paper reports τ ≈ 0.5–0.8 as useful). Training-free; the weights are not changed.
/// </summary>
/// <remarks>
/// <para>Recognised sites: a Softmax whose input traces back (through Add/Sub/Mul/Div/Where/Cast/Reshape-like ops) to a
/// MatMul, Einsum or FusedMatMul of two computed activations — the eager Hugging Face pattern, the PyTorch SDPA decomposition
/// (Q and Kᵀ each scaled by √scale), DistilBERT's Where(mask, −inf, scores), ONNX Runtime's FusedMatMul(alpha) — and
/// fused com.microsoft Attention / MultiHeadAttention nodes. A Softmax over activations·weights (a classifier head)
/// is left alone. Other fused attention operators (GroupQueryAttention, PackedAttention, ...) and the ai.onnx
/// Attention operator are refused with <see cref="NotSupportedException"/>; Softmaxes inside subgraphs are not
/// searched.</para>
/// <para>How τ is applied: when the softmax input is exactly Q·Kᵀ times scalar constants — or, for τ ≤ 1, that plus an
/// additive padding mask computed from an <c>attention_mask</c>-like input (masked keys get zero weight either way) —
/// τ is folded into the nearest constant (or FusedMatMul's alpha), so the graph keeps its nodes; otherwise a Mul by a
/// scalar 1/τ is inserted right before the Softmax, which also divides the mask or bias by τ (−∞ stays −∞; no NaN is
/// created). Fused nodes get scale/τ,
/// mask_filter_value/τ and attention_bias·(1/τ).</para>
/// <para>Constants that folding replaced are removed when nothing else reads them, so the rewritten graph holds no
/// unused initializer (ONNX Runtime would warn about each one whenever it loads the model).</para>
/// <para>Rewrites compose: rewriting a rewritten model with τ₂ gives the model at τ₁·τ₂, and the overall temperature
/// is recorded in <c>metadata_props</c> under <see cref="MetadataKey"/>. τ = 1 leaves every output unchanged.</para>
/// </remarks>
public static class TempScale
{
    /// <summary>metadata_props key holding the overall temperature applied to the model (invariant culture).</summary>
    public const string MetadataKey = "mlnetiso.tempscale";

    /// <summary>Rewrites a serialised ONNX model (embedded weights).</summary>
    /// <param name="onnxModel">The model bytes.</param>
    /// <param name="temperature">τ: finite, &gt; 0, with 1/τ finite.</param>
    /// <returns>The rewritten model, the number of sites rewritten and the overall temperature.</returns>
    /// <exception cref="ArgumentOutOfRangeException">τ is not a positive finite number.</exception>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or it has no self-attention site.</exception>
    /// <exception cref="NotSupportedException">The model uses a fused attention operator this rewrite cannot scale.</exception>
    public static TempScaleResult Rewrite(byte[] onnxModel, float temperature)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        CheckTemperature(temperature);
        var model = OnnxModelFile.Parse(onnxModel, "<bytes>");
        var (sites, overall) = Apply(model, temperature, "<bytes>");
        return new TempScaleResult(model.ToByteArray(), sites, overall);
    }

    /// <summary>
    /// Rewrites the model file <paramref name="inputPath"/> and writes the result to <paramref name="outputPath"/>
    /// (which may be the same path). When the model keeps weights in external data files, those files are referenced
    /// relative to the model's folder, so <paramref name="outputPath"/> must be in the same folder as
    /// <paramref name="inputPath"/>: the output then uses the same data files, unchanged (the few new scalars are
    /// stored inside the output model).
    /// </summary>
    /// <exception cref="ArgumentException">External data is used and the output is in another folder.</exception>
    /// <exception cref="FileNotFoundException">The input file is missing.</exception>
    /// <exception cref="InvalidDataException">Corrupt file, external data outside the model's folder, or no attention site.</exception>
    public static TempScaleResult Rewrite(string inputPath, string outputPath, float temperature)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        CheckTemperature(temperature);
        var model = OnnxModelFile.Load(inputPath);
        if (OnnxExternalData.Any(model)
            && !string.Equals(OnnxModelFile.FolderOf(inputPath), OnnxModelFile.FolderOf(outputPath), StringComparison.Ordinal))
            throw new ArgumentException(
                $"ONNX model '{inputPath}' keeps weights in external data files relative to its folder; write the " +
                $"rewritten model into that same folder (not '{outputPath}') so it can find them.", nameof(outputPath));
        var (sites, overall) = Apply(model, temperature, inputPath);
        var bytes = model.ToByteArray();
        File.WriteAllBytes(outputPath, bytes);
        return new TempScaleResult(bytes, sites, overall);
    }

    private static (int Sites, float Overall) Apply(ModelProto model, float temperature, string source)
    {
        var index = new OnnxGraphIndex(model.Graph);
        var (softmaxes, fused) = AttentionSiteFinder.Find(index, source);
        if (softmaxes.Count + fused.Count == 0)
            throw new InvalidDataException(
                $"ONNX model '{source}' has no self-attention site: no Softmax over a product of two activations (Q·Kᵀ) " +
                "and no com.microsoft Attention/MultiHeadAttention node.");

        var softmaxRewriter = new SoftmaxTemperatureRewriter(index, temperature);
        foreach (var site in softmaxes) softmaxRewriter.Rewrite(site);
        OnnxUnusedConstants.Remove(model.Graph, softmaxRewriter.ReplacedConstants);
        var fusedRewriter = new FusedAttentionTemperatureRewriter(index, temperature, source);
        foreach (var node in fused) fusedRewriter.Rewrite(node);

        var overall = RecordTemperature(model, temperature, source);
        return (softmaxes.Count + fused.Count, overall);
    }

    private static float RecordTemperature(ModelProto model, float temperature, string source)
    {
        var entry = model.MetadataProps.FirstOrDefault(e => e.Key == MetadataKey);
        var previous = 1.0;
        if (entry is not null
            && !double.TryParse(entry.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out previous))
            throw new InvalidDataException(
                $"ONNX model '{source}': metadata '{MetadataKey}' = '{entry.Value}' is not a number.");
        var overall = (float)(previous * temperature);
        var text = overall.ToString("R", CultureInfo.InvariantCulture);
        if (entry is null) model.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKey, Value = text });
        else entry.Value = text;
        return overall;
    }

    private static void CheckTemperature(float temperature)
    {
        if (!float.IsFinite(temperature) || temperature <= 0f || !float.IsFinite(1f / temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature,
                "The TempScale temperature must be a finite number greater than 0 (with 1/τ finite).");
    }
}
