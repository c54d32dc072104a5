
namespace MlNetIso.Onnx.Bert;

/// <summary>
/// Looks up and checks the Hugging Face tensors of a BERT encoder (<c>embeddings.*</c>, <c>encoder.layer.{i}.*</c>),
/// with or without the <c>bert.</c> prefix. <c>pooler.*</c>, MLM/NSP head tensors and anything else are ignored.
/// All missing or wrongly shaped tensors are reported together in one <see cref="ArgumentException"/>.
/// </summary>
internal sealed class BertWeights
{
    private readonly Dictionary<string, NamedTensor> _byName;

    private BertWeights(Dictionary<string, NamedTensor> byName) => _byName = byName;

    /// <summary>The tensor under its Hugging Face name (without the <c>bert.</c> prefix).</summary>
    public NamedTensor this[string name] => _byName[name];

    /// <summary>Every tensor name (without prefix) with its expected shape for <paramref name="config"/>.</summary>
    public static IEnumerable<(string Name, long[] Shape)> Expected(BertConfig config)
    {
        long h = config.HiddenSize, ff = config.IntermediateSize;
        yield return ("embeddings.word_embeddings.weight", [config.VocabSize, h]);
        yield return ("embeddings.position_embeddings.weight", [config.MaxPositionEmbeddings, h]);
        yield return ("embeddings.token_type_embeddings.weight", [config.TypeVocabSize, h]);
        yield return ("embeddings.LayerNorm.weight", [h]);
        yield return ("embeddings.LayerNorm.bias", [h]);
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var p = $"encoder.layer.{i}.";
            foreach (var qkv in new[] { "query", "key", "value" })
            {
                yield return ($"{p}attention.self.{qkv}.weight", [h, h]);
                yield return ($"{p}attention.self.{qkv}.bias", [h]);
            }
            yield return ($"{p}attention.output.dense.weight", [h, h]);
            yield return ($"{p}attention.output.dense.bias", [h]);
            yield return ($"{p}attention.output.LayerNorm.weight", [h]);
            yield return ($"{p}attention.output.LayerNorm.bias", [h]);
            yield return ($"{p}intermediate.dense.weight", [ff, h]);
            yield return ($"{p}intermediate.dense.bias", [ff]);
            yield return ($"{p}output.dense.weight", [h, ff]);
            yield return ($"{p}output.dense.bias", [h]);
            yield return ($"{p}output.LayerNorm.weight", [h]);
            yield return ($"{p}output.LayerNorm.bias", [h]);
        }
    }

    /// <summary>Resolves and checks every tensor <paramref name="config"/> needs.</summary>
    public static BertWeights Resolve(BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights)
    {
        var found = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, shape) in Expected(config))
        {
            if (!weights.TryGetValue(name, out var t) && !weights.TryGetValue("bert." + name, out t))
            {
                problems.Add($"missing '{name}' (expected shape [{string.Join(", ", shape)}])");
                continue;
            }
            if (t is null || !t.Shape.SequenceEqual(shape))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", t?.Shape ?? [])}], expected [{string.Join(", ", shape)}]");
                continue;
            }
            if (t.Data.LongLength != t.ElementCount)
            {
                problems.Add($"'{name}' holds {t.Data.LongLength} values but its shape needs {t.ElementCount}");
                continue;
            }
            found[name] = t;
        }
        if (problems.Count > 0)
            throw new ArgumentException(
                $"The BERT weights do not match the config ({problems.Count} problem(s)): {string.Join("; ", problems)}.",
                nameof(weights));
        return new BertWeights(found);
    }

    /// <summary>A PyTorch Linear weight [out, in] transposed to the [in, out] layout ONNX MatMul expects.</summary>
    public float[] Transposed(string name)
    {
        var t = _byName[name];
        int rows = (int)t.Shape[0], cols = (int)t.Shape[1];
        var result = new float[t.Data.Length];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
            result[c * rows + r] = t.Data[r * cols + c];
        return result;
    }
}
