using System.Globalization;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.Proto;
using MlNetIso.Onnx;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Recovers a BERT encoder's weights and shape from an ONNX graph by its structure, not by initializer names
/// (which exporters may leave anonymous, e.g. <c>onnx::MatMul_1234</c>). See <see cref="OnnxBertImport"/> for the
/// recognised patterns. Every failure is an <see cref="InvalidDataException"/> that names the model file and what
/// was not found.
/// </summary>
internal sealed class BertGraphReader
{
    private readonly BertGraphView _g;
    private readonly string _source;
    private readonly Dictionary<string, BertGraphTensor> _tensors = new(StringComparer.Ordinal);
    private readonly List<(string Where, double Eps)> _epsilons = [];

    private BertGraphReader(ModelProto model, string modelFolder, string source)
    {
        _g = new BertGraphView(model, modelFolder, source);
        _source = source;
    }

    /// <summary>The inferred shape, the weights under Hugging Face <c>BertModel</c> names, and the final hidden-state output.</summary>
    public sealed record Result(BertConfig Config, IReadOnlyDictionary<string, BertGraphTensor> Tensors, string LastHiddenState, bool HasPooler);

    /// <summary>Reads <paramref name="model"/>; <paramref name="modelFolder"/> resolves external data, <paramref name="source"/> names the file.</summary>
    public static Result Read(ModelProto model, string modelFolder, string source) => new BertGraphReader(model, modelFolder, source).Read();

    private Result Read()
    {
        if (_g.Graph.Node.Any(n => n.OpType is "EmbedLayerNormalization" or "Attention" or "SkipLayerNormalization" or "MultiHeadAttention"))
            throw Fail("it holds fused operators (EmbedLayerNormalization/Attention/SkipLayerNormalization/MultiHeadAttention, " +
                       "as ONNX Runtime's transformer optimiser writes them); import the plain export");
        RequireInput("input_ids");

        var (word, hidden) = Embeddings();
        int layers = 0, heads = 0, intermediate = 0;
        string activation = "";
        while (true)
        {
            var layer = Layer(layers, hidden, word.Dims[1]);
            if (layer is null) break;
            (hidden, var h, var ff, var act) = layer.Value;
            if (layers == 0) (heads, intermediate, activation) = (h, ff, act);
            else if (h != heads || ff != intermediate || act != activation)
                throw Fail($"layer {layers} has {h} heads, intermediate {ff} and activation {act}, unlike layer 0 ({heads}, {intermediate}, {activation})");
            layers++;
        }
        if (layers == 0)
            throw Fail("no self-attention layer (three MatMuls reading the hidden state for query, key and value) after the embeddings LayerNorm");
        var output = GraphOutputOf(hidden);
        bool pooler = Pooler(hidden, word.Dims[1]);

        var eps = _epsilons[0].Eps;
        foreach (var (where, e) in _epsilons)
            if (Math.Abs(e - eps) > 1e-6 * Math.Max(Math.Abs(eps), 1e-30))
                throw Fail(string.Create(CultureInfo.InvariantCulture,
                    $"the LayerNorm epsilon of {where} ({e:R}) differs from the embeddings' ({eps:R}); config.json holds only one"));

        var config = new BertConfig
        {
            VocabSize = checked((int)word.Dims[0]),
            HiddenSize = checked((int)word.Dims[1]),
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            IntermediateSize = intermediate,
            MaxPositionEmbeddings = checked((int)_tensors["embeddings.position_embeddings.weight"].Shape[0]),
            TypeVocabSize = checked((int)_tensors["embeddings.token_type_embeddings.weight"].Shape[0]),
            LayerNormEps = eps,
            HiddenAct = activation,
        };
        config.Validate(_source);
        return new Result(config, _tensors, output, pooler);
    }

    // ---------------------------------------------------------------- embeddings

    private (TensorProto Word, string Hidden) Embeddings()
    {
        var wordGathers = _g.Graph.Node
            .Where(n => n.OpType == "Gather" && n.Input.Count == 2 && _g.Reaches(n.Input[1], "input_ids") && _g.Table(n.Input[0]) is not null)
            .ToList();
        if (wordGathers.Count != 1)
            throw Fail(wordGathers.Count == 0
                ? "no Gather of a constant [vocab, hidden] table indexed by input_ids (the word embeddings)"
                : $"{wordGathers.Count} Gathers of constant tables are indexed by input_ids; expected one (the word embeddings)");
        var wordGather = wordGathers[0];
        var word = _g.Table(wordGather.Input[0])!;
        Add("embeddings.word_embeddings.weight", word);

        // Follow the chain of Adds that sums the word, position and token-type embeddings.
        var sum = wordGather.Output[0];
        while (_g.Uses(sum) is [{ OpType: "Add" } add])
        {
            var other = add.Input[0] == sum ? add.Input[1] : add.Input[0];
            EmbeddingTerm(other, word.Dims[1]);
            sum = add.Output[0];
        }
        if (!_tensors.ContainsKey("embeddings.position_embeddings.weight"))
            throw Fail("no position-embedding term (a Gather by position ids 0..S-1, or a Slice of the first S rows of a table) in the embeddings Add");
        if (!_tensors.ContainsKey("embeddings.token_type_embeddings.weight"))
            throw Fail("no token-type embedding term (a Gather indexed by token_type_ids) in the embeddings Add");
        var hidden = LayerNorm(sum, "embeddings.LayerNorm", "the embeddings Add", word.Dims[1]);
        return (word, hidden);
    }

    private void EmbeddingTerm(string value, long hidden)
    {
        var p = _g.Index.Producer(value)
                ?? throw Fail($"the embeddings Add reads '{value}', which is neither a Gather nor a Slice of an embedding table");
        if (p.OpType == "Add" && !_g.Index.IsConstant(value))
        {
            EmbeddingTerm(p.Input[0], hidden);
            EmbeddingTerm(p.Input[1], hidden);
            return;
        }
        if (p.OpType == "Gather" && _g.Table(p.Input[0]) is { } table && BertGraphView.AxisOf(p) == 0)
        {
            CheckWidth(table, hidden, "an embedding table");
            if (_g.Index.ValueInfo("token_type_ids") is not null && _g.Reaches(p.Input[1], "token_type_ids"))
                Add("embeddings.token_type_embeddings.weight", table);
            else if (_g.Index.ValueInfo("position_ids") is not null && _g.Reaches(p.Input[1], "position_ids"))
                throw Fail("the position ids are the graph input 'position_ids'; only exports that compute 0..S-1 inside the graph are supported");
            else if (IsPositionRange(p.Input[1]))
                Add("embeddings.position_embeddings.weight", table);
            else
                throw Fail($"the embedding Gather '{p.Name}' is indexed neither by token_type_ids nor by position ids 0..S-1");
            return;
        }
        if (p.OpType == "Slice" && _g.Table(p.Input[0]) is { } positions && StartsAtZeroOnAxis0(p))
        {
            CheckWidth(positions, hidden, "the position table");
            Add("embeddings.position_embeddings.weight", positions);
            return;
        }
        throw Fail($"the embeddings Add reads '{value}' from a {p.OpType} node, which is not an embedding lookup");
    }

    /// <summary>True when <paramref name="ids"/> is 0..S-1: a Slice from 0 of a constant arange, or Range(0, S, 1).</summary>
    private bool IsPositionRange(string ids)
    {
        var value = ids;
        for (int guard = 0; guard < 16; guard++)
        {
            var p = _g.Index.Producer(value);
            if (p is null) return false;
            if (_g.ThroughPassThrough(value) is var inner && inner != value) { value = inner; continue; }
            if (p.OpType == "Range")
                return _g.Scalar(p.Input[0]) == 0 && _g.Scalar(p.Input[2]) == 1;
            if (p.OpType == "Slice")
            {
                if (_g.Longs(p.Input[1]) is not { } starts || starts.Any(s => s != 0)) return false;
                var data = _g.Index.ConstantTensor(p.Input[0]);
                if (data is null) return false;
                var values = OnnxTensors.ToLongs(data, _g.ModelFolder);
                for (int i = 0; i < values.Length; i++)
                    if (values[i] != i) return false;
                return true;
            }
            return false;
        }
        return false;
    }

    private bool StartsAtZeroOnAxis0(NodeProto slice)
    {
        if (slice.Input.Count < 3 || _g.Longs(slice.Input[1]) is not [0]) return false;
        if (slice.Input.Count >= 4 && slice.Input[3].Length > 0 && _g.Longs(slice.Input[3]) is not ([0] or [-2])) return false;
        return slice.Input.Count < 5 || slice.Input[4].Length == 0 || _g.Longs(slice.Input[4]) is [1];
    }

    // ---------------------------------------------------------------- layers

    private (string Output, int Heads, int Intermediate, string Activation)? Layer(int i, string x, long hidden)
    {
        var projections = _g.DenseReaders(x);
        if (projections.Count == 0) return null;
        var p = $"encoder.layer.{i}.";
        if (projections.Count != 3)
            throw Fail($"layer {i}: {projections.Count} MatMuls with constant weights read the hidden state '{x}'; expected 3 (query, key, value)");

        var attention = BertAttentionMatch.Find(_g, projections, hidden, i);
        Add(p + "attention.self.query", attention.Query);
        Add(p + "attention.self.key", attention.Key);
        Add(p + "attention.self.value", attention.Value);

        // Context → (Transpose, Reshape) → dense → + x → LayerNorm.
        var attentionOut = _g.Linear(attention.OutputDense, hidden, hidden, $"layer {i} attention output");
        Add(p + "attention.output.dense", attentionOut);
        var attended = LayerNorm(Residual(attentionOut.Output, x, $"layer {i} attention output"),
            p + "attention.output.LayerNorm", $"the layer {i} attention residual Add", hidden);

        // Feed-forward: dense → activation → dense → + attended → LayerNorm.
        var up = _g.DenseReaders(attended);
        if (up.Count != 1)
            throw Fail($"layer {i}: {up.Count} MatMuls with constant weights read the attention output; expected 1 (the intermediate dense)");
        var upWeight = _g.Weight(up[0].Input[1])!.Value;
        var intermediate = _g.Linear(up[0], hidden, upWeight.Out, $"layer {i} intermediate");
        Add(p + "intermediate.dense", intermediate);
        var (down, activation) = Activation(intermediate.Output, i);
        var output = _g.Linear(down, upWeight.Out, hidden, $"layer {i} output");
        Add(p + "output.dense", output);
        var result = LayerNorm(Residual(output.Output, attended, $"layer {i} output"), p + "output.LayerNorm",
            $"the layer {i} output residual Add", hidden);
        return (result, attention.Heads, checked((int)upWeight.Out), activation);
    }

    private (NodeProto Down, string Activation) Activation(string preActivation, int layer)
    {
        var allowed = new HashSet<string> { "Div", "Mul", "Add", "Sub", "Erf", "Tanh", "Pow", "Gelu", "FastGelu", "BiasGelu", "Relu", "Cast", "Identity" };
        var region = new List<NodeProto>();
        var seen = new HashSet<NodeProto>();
        var frontier = new Queue<string>([preActivation]);
        NodeProto? down = null;
        while (frontier.Count > 0)
        {
            var value = frontier.Dequeue();
            foreach (var n in _g.Uses(value))
            {
                if (n.OpType == "MatMul" && n.Input[0] == value && _g.Weight(n.Input[1]) is not null)
                {
                    if (down is not null && down != n)
                        throw Fail($"layer {layer}: the feed-forward activation feeds two MatMuls");
                    down = n;
                    continue;
                }
                if (!allowed.Contains(n.OpType))
                    throw Fail($"layer {layer}: unexpected {n.OpType} node '{n.Name}' in the feed-forward activation");
                if (!seen.Add(n)) continue;
                region.Add(n);
                if (region.Count > 40) throw Fail($"layer {layer}: the feed-forward activation spans more than 40 nodes");
                foreach (var o in n.Output) frontier.Enqueue(o);
            }
        }
        if (down is null) throw Fail($"layer {layer}: no output dense MatMul after the feed-forward activation");
        var ops = region.Select(n => n.OpType).ToHashSet();
        string activation;
        if (region.FirstOrDefault(n => n.OpType == "Gelu") is { } gelu)
            activation = OnnxAttributes.Find(gelu, "approximate")?.S.ToStringUtf8() == "tanh" ? "gelu_new" : "gelu";
        else if (ops.Contains("FastGelu")) activation = "gelu_new";
        else if (ops.Contains("BiasGelu")) activation = "gelu";
        else if (ops.Contains("Erf"))
        {
            bool sqrt2 = region.Any(n => (n.OpType == "Div" && _g.Scalar(n.Input[1]) is { } d && Math.Abs(d - Math.Sqrt(2)) < 1e-4) ||
                                         (n.OpType == "Mul" && n.Input.Any(v => _g.Scalar(v) is { } m && Math.Abs(m - Math.Sqrt(0.5)) < 1e-4)));
            if (!sqrt2) throw Fail($"layer {layer}: the feed-forward Erf is not applied to x/√2 (not the exact GELU)");
            activation = "gelu";
        }
        else if (ops.Contains("Tanh")) activation = "gelu_new";
        else if (ops.SetEquals(["Relu"])) activation = "relu";
        else throw Fail($"layer {layer}: unrecognised feed-forward activation (ops: {string.Join(", ", ops.Order())})");
        return (down, activation);
    }

    private string Residual(string sublayer, string residual, string what)
    {
        if (_g.Uses(sublayer) is [{ OpType: "Add" } add] && (add.Input[0] == residual || add.Input[1] == residual))
            return add.Output[0];
        throw Fail($"{what}: the dense output is not added to the sub-layer's input (residual connection)");
    }

    // ---------------------------------------------------------------- output and pooler

    private string GraphOutputOf(string hidden)
    {
        var outputs = _g.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        if (outputs.Contains(hidden)) return hidden;
        foreach (var n in _g.Uses(hidden))
            if (n.OpType == "Identity" && outputs.Contains(n.Output[0])) return n.Output[0];
        throw Fail($"the last layer's output '{hidden}' is not a graph output (expected last_hidden_state)");
    }

    private bool Pooler(string hidden, long width)
    {
        foreach (var first in _g.Uses(hidden).Where(n => n.OpType == "Gather" && n.Input[0] == hidden && BertGraphView.AxisOf(n) == 1 && _g.Longs(n.Input[1]) is [0]))
        {
            if (_g.Uses(first.Output[0]) is not [var dense]) continue;
            BertGraphTensor weight, bias;
            string denseOut;
            if (dense.OpType == "Gemm" && dense.Input.Count == 3 && _g.Index.ConstantTensor(dense.Input[1]) is { Dims.Count: 2 } b &&
                _g.Index.ConstantTensor(dense.Input[2]) is { Dims.Count: 1 } c)
            {
                bool transB = OnnxAttributes.Find(dense, "transB")?.I == 1;
                weight = new BertGraphTensor(b, transpose: !transB);
                bias = new BertGraphTensor(c, transpose: false);
                denseOut = dense.Output[0];
            }
            else if (dense.OpType == "MatMul" && _g.Weight(dense.Input[1]) is not null)
            {
                var linear = _g.Linear(dense, width, width, "pooler");
                (weight, bias, denseOut) = (linear.Weight, linear.Bias, linear.Output);
            }
            else continue;
            if (_g.Uses(denseOut) is not [{ OpType: "Tanh" }]) continue;
            if (!weight.Shape.SequenceEqual([width, width]) || !bias.Shape.SequenceEqual([width])) continue;
            _tensors["pooler.dense.weight"] = weight;
            _tensors["pooler.dense.bias"] = bias;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- building blocks

    private string LayerNorm(string x, string name, string after, long width)
    {
        var match = LayerNormMatch.Find(_g.Index, x, _g.Scalar)
                    ?? throw Fail($"no LayerNormalization after {after} (neither a LayerNormalization node nor the " +
                                  "ReduceMean → Sub → Pow → ReduceMean → Add(ε) → Sqrt → Div → Mul(γ) → Add(β) decomposition reads it)");
        var gamma = _g.Index.ConstantTensor(match.Gamma);
        var beta = match.Beta is null ? null : _g.Index.ConstantTensor(match.Beta);
        if (gamma is null || gamma.Dims.Count != 1 || gamma.Dims[0] != width || (beta is not null && (beta.Dims.Count != 1 || beta.Dims[0] != width)))
            throw Fail($"the LayerNorm after {after} has no constant [{width}] γ and β");
        if (beta is null)
            throw Fail($"the LayerNorm after {after} has no β (bias); BERT LayerNorms always have one");
        _tensors[name + ".weight"] = new BertGraphTensor(gamma, transpose: false);
        _tensors[name + ".bias"] = new BertGraphTensor(beta, transpose: false);
        _epsilons.Add((name, match.Epsilon));
        return match.Output;
    }

    private void Add(string name, TensorProto table) => _tensors[name] = new BertGraphTensor(table, transpose: false);

    private void Add(string prefix, BertLinear linear)
    {
        _tensors[prefix + ".weight"] = linear.Weight;
        _tensors[prefix + ".bias"] = linear.Bias;
    }

    private void RequireInput(string name)
    {
        if (!_g.Graph.Input.Any(i => i.Name == name))
            throw Fail($"it has no graph input '{name}' (inputs: {string.Join(", ", _g.Graph.Input.Select(i => i.Name))})");
    }

    private void CheckWidth(TensorProto table, long hidden, string what)
    {
        if (table.Dims[1] != hidden)
            throw Fail($"{what} '{table.Name}' is {table.Dims[0]} × {table.Dims[1]}, but the word embeddings are {hidden} wide");
    }

    private InvalidDataException Fail(string what) => _g.Fail(what);
}
