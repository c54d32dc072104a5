using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Attention;
using MlNetIso.Onnx.Proto;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Exposes the per-layer values of a Transformer encoder as extra ONNX graph outputs, so one ONNX Runtime run returns
/// every layer's hidden states and attention probabilities (as Hugging Face's <c>output_hidden_states</c> and
/// <c>output_attentions</c>) — for layer-wise geometry (IsoScore per layer), attention entropy, or the low-pass
/// analysis of length collapse (Zhou et al., arXiv 2410.24200).
/// </summary>
/// <remarks>
/// <para>How the layers are found. The self-attention sites are those TempScale finds (a Softmax over Q·Kᵀ, see
/// <see cref="TempScale"/>), in graph order; site ℓ belongs to layer ℓ. For post-LayerNorm encoders (BERT, MiniLM,
/// arctic-embed, the models <see cref="MlNetIso.Onnx.Bert.BertOnnxWriter"/> writes), the input of layer ℓ is the nearest LayerNorm
/// output upstream of its Q·Kᵀ product — h⁽⁰⁾ (the embedding LayerNorm) for layer 1, the output LayerNorm of layer ℓ − 1
/// after that — and h⁽ᴸ⁾ is the nearest LayerNorm upstream of the model's <c>last_hidden_state</c> output (or its
/// first output). LayerNorms are recognised in native, ONNX Runtime-fused and decomposed
/// (ReduceMean/Sub/Pow/Sqrt/Div/Mul/Add) form. The attention probabilities are the Softmax outputs.</para>
/// <para>The graph is otherwise unchanged: outputs are only added, so the model computes exactly what it did, and a
/// TempScale-rewritten model (τ ≠ 1) exposes its rewritten attention. Models whose attention is fused into one
/// com.microsoft Attention node have no probability tensor to expose: asking for
/// <see cref="LayerOutputKinds.AttentionProbabilities"/> then throws <see cref="NotSupportedException"/>.</para>
/// </remarks>
public static class EncoderLayerOutputs
{
    /// <summary>Adds the requested per-layer values of <paramref name="onnxModel"/> as graph outputs.</summary>
    /// <param name="onnxModel">A serialised ONNX encoder (weights embedded or in external files beside it).</param>
    /// <param name="kinds">Which values to expose (one or both flags).</param>
    /// <returns>The new model bytes and the output names per layer.</returns>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is <see cref="LayerOutputKinds.None"/> or has unknown flags.</exception>
    /// <exception cref="InvalidDataException">
    /// The bytes are not an ONNX model, the model has no self-attention site, or its per-layer hidden states cannot be
    /// identified (e.g. a pre-LayerNorm model, or no LayerNorm between two layers); the message says which.
    /// </exception>
    /// <exception cref="NotSupportedException">Attention probabilities were asked for a model with fused attention.</exception>
    public static EncoderLayerOutputsResult Expose(byte[] onnxModel, LayerOutputKinds kinds)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        const LayerOutputKinds known = LayerOutputKinds.HiddenStates | LayerOutputKinds.AttentionProbabilities;
        if (kinds == LayerOutputKinds.None || (kinds & ~known) != 0)
            throw new ArgumentException($"Ask for {nameof(LayerOutputKinds.HiddenStates)} and/or " +
                                        $"{nameof(LayerOutputKinds.AttentionProbabilities)}, not '{kinds}'.", nameof(kinds));
        const string source = "<bytes>";
        var model = OnnxModelFile.Parse(onnxModel, source);
        var graph = model.Graph;
        var index = new OnnxGraphIndex(graph);
        var position = new Dictionary<NodeProto, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < graph.Node.Count; i++) position[graph.Node[i]] = i;

        var (softmaxes, fused) = AttentionSiteFinder.Find(index, source);
        var sites = softmaxes.Select(s => (Node: s.Softmax, Inputs: (IEnumerable<string>)s.ScoresMatMul.Input, Probabilities: (string?)s.Softmax.Output[0]))
            .Concat(fused.Select(f => (Node: f, Inputs: (IEnumerable<string>)f.Input.Take(1), Probabilities: (string?)null)))
            .OrderBy(s => position[s.Node])
            .ToList();
        if (sites.Count == 0)
            throw new InvalidDataException(
                $"ONNX model '{source}' has no self-attention site (no Softmax over a product of two activations and no " +
                "com.microsoft Attention/MultiHeadAttention node), so it has no encoder layers to expose.");

        var elementType = OutputElementType(graph);
        var hidden = new List<string>();
        if (kinds.HasFlag(LayerOutputKinds.HiddenStates))
        {
            var layerNorms = LayerNormFinder.Outputs(model, source);
            var final = FinalOutput(graph);
            for (var l = 0; l <= sites.Count; l++)
            {
                var (start, what) = l < sites.Count
                    ? (sites[l].Inputs, $"the input of layer {l + 1} (attention node '{sites[l].Node.Name}')")
                    : ([final.Name], $"the output of the last layer (graph output '{final.Name}')");
                hidden.Add(NearestLayerNorm(index, layerNorms, start, what, source));
            }
            // When the final output is the last LayerNorm passed through Identity nodes, name it by the output itself.
            if (IdentitySource(index, final.Name) == hidden[^1]) hidden[^1] = final.Name;
            for (var l = 1; l < hidden.Count; l++)
                if (hidden[l] == hidden[l - 1] || Position(index, position, hidden[l]) <= Position(index, position, hidden[l - 1]))
                    throw new InvalidDataException(
                        $"ONNX model '{source}': hidden states {l - 1} and {l} resolve to the LayerNorm outputs '{hidden[l - 1]}' and " +
                        $"'{hidden[l]}', which are not successive; the model is not a post-LayerNorm encoder this API understands.");
            foreach (var name in hidden) AddOutput(graph, index, name, elementType);
        }

        var attention = new List<string>();
        if (kinds.HasFlag(LayerOutputKinds.AttentionProbabilities))
        {
            foreach (var site in sites)
            {
                if (site.Probabilities is null)
                    throw new NotSupportedException(
                        $"ONNX model '{source}': layer {attention.Count + 1} uses the fused {site.Node.Domain}.{site.Node.OpType} node " +
                        $"'{site.Node.Name}', which does not output its attention probabilities. Export the model with eager " +
                        "(unfused) attention to expose them.");
                attention.Add(site.Probabilities);
                AddOutput(graph, index, site.Probabilities, elementType);
            }
        }
        return new EncoderLayerOutputsResult(model.ToByteArray(), sites.Count, hidden, attention);
    }

    /// <summary>The nearest LayerNorm output upstream of <paramref name="start"/> (exactly one must be reached).</summary>
    private static string NearestLayerNorm(OnnxGraphIndex index, HashSet<string> layerNorms, IEnumerable<string> start,
        string what, string source)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(start);
        while (queue.Count > 0)
        {
            var value = queue.Dequeue();
            if (value.Length == 0 || !seen.Add(value) || index.IsConstant(value)) continue;
            if (layerNorms.Contains(value))
            {
                found.Add(value);
                continue;
            }
            if (index.Producer(value) is { } producer)
                foreach (var input in producer.Input) queue.Enqueue(input);
        }
        return found.Count switch
        {
            1 => found.First(),
            0 => throw new InvalidDataException(
                $"ONNX model '{source}': no LayerNorm was found upstream of {what}, so its hidden state cannot be identified " +
                "(LayerNormalization, SkipLayerNormalization or the decomposed ReduceMean/Sub/Pow/Sqrt/Div/Mul/Add form are recognised)."),
            _ => throw new InvalidDataException(
                $"ONNX model '{source}': {found.Count} LayerNorm outputs ({string.Join(", ", found.Order(StringComparer.Ordinal))}) " +
                $"feed {what} without passing through one another; the model is not a post-LayerNorm encoder this API understands."),
        };
    }

    /// <summary>The value <paramref name="value"/> copies through a chain of Identity nodes (itself when none).</summary>
    private static string IdentitySource(OnnxGraphIndex index, string value)
    {
        while (index.Producer(value) is { OpType: "Identity", Input.Count: 1 } identity && OnnxGraphIndex.IsOnnxDomain(identity.Domain))
            value = identity.Input[0];
        return value;
    }

    private static int Position(OnnxGraphIndex index, Dictionary<NodeProto, int> position, string value) =>
        index.Producer(value) is { } p ? position[p] : -1;

    /// <summary>The encoder's token-state output: <c>last_hidden_state</c> when present, else the first graph output.</summary>
    private static ValueInfoProto FinalOutput(GraphProto graph) =>
        graph.Output.FirstOrDefault(o => o.Name == "last_hidden_state") ?? graph.Output.FirstOrDefault()
        ?? throw new InvalidDataException("ONNX model '<bytes>' has no graph outputs.");

    /// <summary>Element type of the exposed values: that of the first floating-point graph output (float when unknown).</summary>
    private static int OutputElementType(GraphProto graph) =>
        graph.Output.Select(o => o.Type?.TensorType?.ElemType ?? 0)
            .FirstOrDefault(t => t is (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Float16
                or (int)TensorProto.Types.DataType.Bfloat16 or (int)TensorProto.Types.DataType.Double,
                (int)TensorProto.Types.DataType.Float);

    /// <summary>Declares <paramref name="name"/> a graph output (type from its value_info when known; shape left to ONNX Runtime).</summary>
    private static void AddOutput(GraphProto graph, OnnxGraphIndex index, string name, int elementType)
    {
        if (graph.Output.Any(o => o.Name == name)) return;
        var info = index.ValueInfo(name)?.Clone()
                   ?? new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType } } };
        graph.Output.Add(info);
    }
}
