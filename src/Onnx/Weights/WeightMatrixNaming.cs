using System.Globalization;
using System.Text.RegularExpressions;

namespace MlNetIso.Onnx.Weights;

/// <summary>
/// Reads the layer index and the <see cref="WeightMatrixRole"/> of a weight from its parameter name, for the naming
/// schemes of Hugging Face BERT-family checkpoints (<c>encoder.layer.3.attention.self.query.weight</c>,
/// <c>encoder.layer.3.intermediate.dense.weight</c>) and the common decoder and DistilBERT ones (<c>layers.3.self_attn.q_proj</c>,
/// <c>mlp.up_proj</c>/<c>down_proj</c>, <c>fc1</c>/<c>fc2</c>, <c>q_lin</c>, <c>lin1</c>/<c>lin2</c>, <c>lm_head</c>).
/// Names it does not recognise give <see cref="WeightMatrixRole.Other"/> and no layer.
/// </summary>
public static partial class WeightMatrixNaming
{
    /// <summary>The transformer layer a parameter belongs to: N in <c>layer.N.</c>, <c>layers.N.</c>, <c>h.N.</c>,
    /// <c>block.N.</c> or <c>blocks.N.</c>; null when the name carries none (embeddings, pooler, heads).</summary>
    /// <param name="parameterName">A parameter name such as <c>encoder.layer.0.attention.self.query.weight</c>.</param>
    /// <returns>The layer index, or null.</returns>
    public static int? Layer(string parameterName)
    {
        ArgumentNullException.ThrowIfNull(parameterName);
        var m = LayerPattern().Match(parameterName);
        return m.Success && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var layer) ? layer : null;
    }

    /// <summary>The role of a 2-D weight from its parameter name (case-insensitive).</summary>
    /// <param name="parameterName">A parameter name.</param>
    /// <returns>The role; <see cref="WeightMatrixRole.Other"/> when none is recognised.</returns>
    public static WeightMatrixRole Role(string parameterName)
    {
        ArgumentNullException.ThrowIfNull(parameterName);
        var n = "." + parameterName.ToLowerInvariant().Replace('/', '.') + ".";
        if (Has(n, "embeddings", "embed_tokens", "embed_positions", ".wte.", ".wpe.")) return WeightMatrixRole.Embedding;
        if (Has(n, ".query.", ".q_proj.", ".q_lin.", ".wq.")) return WeightMatrixRole.Query;
        if (Has(n, ".key.", ".k_proj.", ".k_lin.", ".wk.")) return WeightMatrixRole.Key;
        if (Has(n, ".value.", ".v_proj.", ".v_lin.", ".wv.")) return WeightMatrixRole.Value;
        if (Has(n, "attention.output.dense", ".o_proj.", ".out_proj.", ".out_lin.", ".wo.", "attn.c_proj")) return WeightMatrixRole.AttentionOutput;
        if (Has(n, "intermediate.dense", ".fc1.", ".up_proj.", ".gate_proj.", ".lin1.", ".w1.", ".w3.", "mlp.c_fc")) return WeightMatrixRole.FeedForwardIn;
        if (Has(n, ".output.dense.", ".fc2.", ".down_proj.", ".lin2.", ".w2.", "mlp.c_proj")) return WeightMatrixRole.FeedForwardOut;
        if (Has(n, ".pooler.")) return WeightMatrixRole.Pooler;
        if (Has(n, "classifier", "lm_head", ".head.", ".score.", "pre_classifier")) return WeightMatrixRole.Head;
        return WeightMatrixRole.Other;
    }

    private static bool Has(string name, params string[] parts) => parts.Any(p => name.Contains(p, StringComparison.Ordinal));

    [GeneratedRegex(@"(?:^|[./])(?:layer|layers|h|block|blocks)[./](\d+)(?:[./]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LayerPattern();
}
