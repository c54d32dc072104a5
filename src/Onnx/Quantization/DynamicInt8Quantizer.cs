using Google.Protobuf;
using MlNetIso.Onnx.Proto;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Onnx.Quantization;

/// <summary>
/// Dynamic int8 quantisation of the weight products of an ONNX graph (Jacob et al., "Quantization and Training of
/// Neural Networks for Efficient Integer-Arithmetic-Only Inference", CVPR 2018; the dynamic variant of ONNX Runtime's
/// quantisation tool): every ai.onnx <c>MatMul(A, W)</c> whose W is a constant float [K, N] matrix is replaced by an
/// integer product. W is quantised once, symmetrically, per output column n (or per matrix):
/// s_n = max_k |W[k, n]| / q_max, W_q[k, n] = round(W[k, n] / s_n) ∈ [−q_max, q_max], q_max = 127 (63 with
/// <see cref="DynamicInt8QuantizerOptions.ReduceRange"/>). A is quantised at run time to uint8 with its own scale and
/// zero point (a_s, a_z from the batch's min/max), and the product is Y ≈ a_s · s_n · Σ_k (A_q[·, k] − a_z) · W_q[k, n].
/// </summary>
/// <remarks>
/// <para>Only products with a constant weight are touched: a product of two computed activations — the attention
/// scores Q·Kᵀ and the attention-weighted values — stays in float, so a TempScale rewrite
/// (<see cref="Attention.TempScale"/>) finds and scales the attention softmaxes exactly as before, in either order.
/// Gemm, Conv and products inside subgraphs are left alone; weights stored as external data must be inlined first.</para>
/// <para>The products are written as standard <c>DynamicQuantizeLinear</c> → <c>MatMulInteger</c> chains (one activation
/// quantisation shared by all products of the same activation) or, with <see cref="Int8MatMulOperator.DynamicQuantizeMatMul"/>,
/// as ONNX Runtime contrib nodes, where a following <c>Add</c> of a constant [N] bias (when it is the product's only
/// consumer) becomes the node's bias input.</para>
/// </remarks>
public static class DynamicInt8Quantizer
{
    /// <summary>Quantises the weight products of a serialised ONNX model (embedded weights).</summary>
    /// <param name="onnxModel">The model bytes.</param>
    /// <param name="options">Per-channel/per-tensor scales, weight range and operator form; defaults when null.</param>
    /// <returns>The quantised model and what was replaced.</returns>
    /// <exception cref="InvalidDataException">
    /// The bytes are not an ONNX model, a weight holds NaN or ±∞, or the graph has no MatMul with a constant float weight.
    /// </exception>
    /// <exception cref="NotSupportedException">The MatMulInteger form was asked for on a model below ai.onnx opset 11.</exception>
    public static DynamicInt8QuantizationResult Quantize(byte[] onnxModel, DynamicInt8QuantizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        options ??= new DynamicInt8QuantizerOptions();
        if (!Enum.IsDefined(options.Operator))
            throw new ArgumentOutOfRangeException(nameof(options), options.Operator, "Unknown int8 MatMul operator form.");
        var model = OnnxModelFile.Parse(onnxModel, "<bytes>");
        var outcome = new Rewriter(model, options, "<bytes>").Run();
        return new DynamicInt8QuantizationResult(model.ToByteArray(), outcome.MatMuls, outcome.Biases, outcome.FloatBytes, outcome.Int8Bytes);
    }

    /// <summary>Symmetric int8 quantisation of a row-major [K, N] matrix: the int8 values and one scale per column (or one).</summary>
    /// <param name="weights">K·N values, row-major.</param>
    /// <param name="columns">N.</param>
    /// <param name="perChannel">One scale per column, else one for the matrix.</param>
    /// <param name="maxLevel">q_max: 127, or 63 for reduced range.</param>
    /// <param name="name">The tensor's name, for the error on a non-finite value.</param>
    internal static (sbyte[] Values, float[] Scales) QuantizeMatrix(ReadOnlySpan<float> weights, int columns, bool perChannel,
        int maxLevel, string name)
    {
        var rows = weights.Length / columns;
        var maxAbs = new float[perChannel ? columns : 1];
        for (var k = 0; k < rows; k++)
        for (var n = 0; n < columns; n++)
        {
            var v = weights[k * columns + n];
            if (!float.IsFinite(v))
                throw new InvalidDataException($"Weight '{name}' holds a non-finite value ({v}) at [{k}, {n}]; it cannot be quantised.");
            var slot = perChannel ? n : 0;
            maxAbs[slot] = Math.Max(maxAbs[slot], Math.Abs(v));
        }
        var scales = maxAbs.Select(m => m > 0f ? m / maxLevel : 1f).ToArray();
        var values = new sbyte[weights.Length];
        for (var k = 0; k < rows; k++)
        for (var n = 0; n < columns; n++)
        {
            var q = MathF.Round(weights[k * columns + n] / scales[perChannel ? n : 0], MidpointRounding.ToEven);
            values[k * columns + n] = (sbyte)Math.Clamp(q, -maxLevel, maxLevel);
        }
        return (values, scales);
    }

    private sealed class Rewriter(ModelProto model, DynamicInt8QuantizerOptions options, string source)
    {
        private readonly OnnxGraphIndex _index = new(model.Graph);
        private readonly Dictionary<string, (string Values, string Scale)> _quantised = new(StringComparer.Ordinal);
        private readonly HashSet<string> _replaced = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (string Values, string Scale, string ZeroPoint)> _quantisedActivations = new(StringComparer.Ordinal);

        public int MatMuls { get; private set; }
        public int Biases { get; private set; }
        public long FloatBytes { get; private set; }
        public long Int8Bytes { get; private set; }

        public Rewriter Run()
        {
            var graph = model.Graph;
            if (options.Operator == Int8MatMulOperator.MatMulInteger && OnnxOpset(model) < 11)
                throw new NotSupportedException(
                    $"ONNX model '{source}' uses ai.onnx opset {OnnxOpset(model)}; the MatMulInteger form needs opset 11 or later " +
                    "(DynamicQuantizeLinear). Use Int8MatMulOperator.DynamicQuantizeMatMul.");
            var nodes = new List<NodeProto>(graph.Node.Count);
            var absorbed = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
            foreach (var node in graph.Node)
            {
                if (absorbed.Contains(node)) continue;
                var weight = QuantisableWeight(node);
                if (weight is null)
                {
                    nodes.Add(node);
                    continue;
                }
                var (values, scale) = Quantised(weight);
                MatMuls++;
                if (options.Operator == Int8MatMulOperator.DynamicQuantizeMatMul)
                {
                    var bias = FusableBias(node, weight.Dims[1]);
                    if (bias is not null) absorbed.Add(bias.Value.Add);
                    nodes.Add(DynamicQuantizeMatMul(node, values, scale, bias));
                }
                else
                {
                    nodes.AddRange(MatMulIntegerChain(node, values, scale));
                }
            }
            if (MatMuls == 0)
                throw new InvalidDataException(
                    $"ONNX model '{source}' has no MatMul with a constant float [K, N] weight matrix; there is nothing to quantise.");
            graph.Node.Clear();
            graph.Node.AddRange(nodes);
            RemoveReplaced(graph);
            if (options.Operator == Int8MatMulOperator.DynamicQuantizeMatMul
                && !model.OpsetImport.Any(o => o.Domain == OnnxGraphBuilder.MicrosoftDomain))
                model.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxGraphBuilder.MicrosoftDomain, Version = 1 });
            return this;
        }

        /// <summary>The constant float [K, N] weight of an ai.onnx MatMul over a computed activation, else null.</summary>
        private TensorProto? QuantisableWeight(NodeProto node)
        {
            if (!OnnxGraphIndex.IsOnnxDomain(node.Domain) || node.OpType != "MatMul" || node.Input.Count != 2) return null;
            if (options.ExcludedNodes.Contains(node.Name)) return null;
            if (_index.IsConstant(node.Input[0])) return null;
            var w = _index.Initializer(node.Input[1]);
            if (w is null || w.DataType != (int)DataType.Float || w.Dims.Count != 2 || w.Dims[0] < 1 || w.Dims[1] < 1) return null;
            if (w.DataLocation == TensorProto.Types.DataLocation.External)
                throw new InvalidDataException(
                    $"ONNX model '{source}': weight '{w.Name}' is stored as external data; inline it before quantising.");
            return w;
        }

        private (string Values, string Scale) Quantised(TensorProto weight)
        {
            if (_quantised.TryGetValue(weight.Name, out var known)) return known;
            var k = weight.Dims[0];
            var n = checked((int)weight.Dims[1]);
            var (values, scales) = QuantizeMatrix(OnnxTensors.ToFloats(weight), n, options.PerChannel,
                options.ReduceRange ? 63 : 127, weight.Name);
            var valuesName = _index.FreshName(weight.Name + "_int8");
            var scaleName = _index.FreshName(weight.Name + "_scale");
            model.Graph.Initializer.Add(OnnxTensors.FromSBytes(valuesName, values, k, n));
            model.Graph.Initializer.Add(options.PerChannel
                ? OnnxTensors.FromFloats(scaleName, scales, n)
                : OnnxTensors.FromFloats(scaleName, scales));
            _replaced.Add(weight.Name);
            FloatBytes += 4L * values.Length;
            Int8Bytes += values.Length + 4L * scales.Length;
            return _quantised[weight.Name] = (valuesName, scaleName);
        }

        /// <summary>The Add of a constant float [N] bias that is the product's only consumer, else null.</summary>
        private (NodeProto Add, string Bias)? FusableBias(NodeProto matMul, long columns)
        {
            var product = matMul.Output[0];
            if (_index.UseCount(product) != 1) return null;
            var add = _index.Consumers(product)[0];
            if (!OnnxGraphIndex.IsOnnxDomain(add.Domain) || add.OpType != "Add" || add.Input.Count != 2) return null;
            var biasName = add.Input[0] == product ? add.Input[1] : add.Input[0];
            var bias = _index.Initializer(biasName);
            if (bias is null || bias.DataType != (int)DataType.Float || bias.Dims.Count != 1 || bias.Dims[0] != columns
                || bias.DataLocation == TensorProto.Types.DataLocation.External)
                return null;
            return (add, biasName);
        }

        private NodeProto DynamicQuantizeMatMul(NodeProto matMul, string values, string scale, (NodeProto Add, string Bias)? bias)
        {
            var node = new NodeProto
            {
                OpType = "DynamicQuantizeMatMul",
                Domain = OnnxGraphBuilder.MicrosoftDomain,
                Name = _index.FreshName(Stem(matMul) + "_int8"),
                Input = { matMul.Input[0], values, scale },
            };
            if (bias is { } b)
            {
                node.Input.Add(""); // b_zero_point: omitted, the weights are symmetric
                node.Input.Add(b.Bias);
                node.Output.Add(b.Add.Output[0]);
                _replaced.Add(b.Bias);
                _replaced.Add(matMul.Output[0]);
                Biases++;
            }
            else
            {
                node.Output.Add(matMul.Output[0]);
            }
            return node;
        }

        /// <summary>
        /// DynamicQuantizeLinear(A) → MatMulInteger → Cast → Mul(a_scale·b_scale). An activation read by several products
        /// (Q, K and V read the same LayerNorm output) is quantised once, by the first of them.
        /// </summary>
        private IEnumerable<NodeProto> MatMulIntegerChain(NodeProto matMul, string values, string scale)
        {
            var stem = Stem(matMul);
            string Fresh(string suffix) => _index.FreshName($"{stem}_{suffix}");
            var activation = matMul.Input[0];
            if (!_quantisedActivations.TryGetValue(activation, out var a))
            {
                a = (Fresh("a_quant"), Fresh("a_scale"), Fresh("a_zero_point"));
                _quantisedActivations[activation] = a;
                yield return new NodeProto
                {
                    OpType = "DynamicQuantizeLinear", Name = Fresh("quantize_a"),
                    Input = { activation }, Output = { a.Values, a.Scale, a.ZeroPoint },
                };
            }
            string product = Fresh("int32"), asFloat = Fresh("int32_float"), combined = Fresh("scale");
            yield return new NodeProto { OpType = "MatMulInteger", Name = Fresh("matmul_integer"), Input = { a.Values, values, a.ZeroPoint }, Output = { product } };
            yield return new NodeProto
            {
                OpType = "Cast", Name = Fresh("cast"), Input = { product }, Output = { asFloat },
                Attribute = { OnnxAttributes.Int("to", (long)DataType.Float) },
            };
            yield return new NodeProto { OpType = "Mul", Name = Fresh("combine_scales"), Input = { a.Scale, scale }, Output = { combined } };
            yield return new NodeProto { OpType = "Mul", Name = Fresh("rescale"), Input = { asFloat, combined }, Output = { matMul.Output[0] } };
        }

        /// <summary>Drops the replaced float weights and biases that no node reads any more, and the value_info of the
        /// products whose bias Add was absorbed.</summary>
        private void RemoveReplaced(GraphProto graph)
        {
            var read = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
            read.UnionWith(graph.Output.Select(o => o.Name));
            foreach (var t in graph.Initializer.Where(t => _replaced.Contains(t.Name) && !read.Contains(t.Name)).ToList())
            {
                graph.Initializer.Remove(t);
                // IR < 4 models also list initializers as graph inputs; an input no node reads would still have to be fed.
                foreach (var input in graph.Input.Where(i => i.Name == t.Name).ToList()) graph.Input.Remove(input);
            }
            var produced = new HashSet<string>(graph.Node.SelectMany(n => n.Output), StringComparer.Ordinal);
            foreach (var v in graph.ValueInfo.Where(v => _replaced.Contains(v.Name) && !produced.Contains(v.Name)).ToList())
                graph.ValueInfo.Remove(v);
        }

        private static string Stem(NodeProto node) => node.Name.Length > 0 ? node.Name : node.OpType;

        private static long OnnxOpset(ModelProto model) =>
            model.OpsetImport.FirstOrDefault(o => OnnxGraphIndex.IsOnnxDomain(o.Domain))?.Version ?? 1;
    }
}
