using MlNetIso.Onnx.Proto;

namespace MlNetIso.Onnx;

/// <summary>
/// Producer/consumer maps over one graph (subgraphs are not entered), plus constant detection: a value is constant
/// when it is an initializer, a <c>Constant</c> node output, or computed only from constants.
/// </summary>
internal sealed class OnnxGraphIndex
{
    private readonly Dictionary<string, NodeProto> _producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ValueInfoProto> _valueInfo = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graphOutputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _constantMemo = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphIndex(GraphProto graph)
    {
        Graph = graph;
        foreach (var t in graph.Initializer) _initializers[t.Name] = t;
        foreach (var v in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo)) _valueInfo.TryAdd(v.Name, v);
        foreach (var o in graph.Output) _graphOutputs.Add(o.Name);
        _taken.UnionWith(_initializers.Keys);
        _taken.UnionWith(_valueInfo.Keys);
        foreach (var node in graph.Node)
        {
            _taken.Add(node.Name);
            _taken.UnionWith(node.Input);
            _taken.UnionWith(node.Output);
            foreach (var o in node.Output.Where(o => o.Length > 0)) _producer[o] = node;
            foreach (var i in node.Input.Where(i => i.Length > 0))
            {
                if (!_consumers.TryGetValue(i, out var list)) _consumers[i] = list = [];
                list.Add(node);
            }
        }
    }

    public GraphProto Graph { get; }

    /// <summary>A value/node name not used anywhere in the graph yet, starting with <paramref name="stem"/>.</summary>
    public string FreshName(string stem)
    {
        string name;
        do name = $"{stem}_{_counter++}";
        while (!_taken.Add(name));
        return name;
    }

    public NodeProto? Producer(string value) => _producer.GetValueOrDefault(value);

    /// <summary>The nodes that read <paramref name="value"/>, in graph order (a node reading it twice appears once per input).</summary>
    public IReadOnlyList<NodeProto> Consumers(string value) =>
        _consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>How many node inputs read <paramref name="value"/>, plus one if it is a graph output.</summary>
    public int UseCount(string value) =>
        (_consumers.TryGetValue(value, out var list) ? list.Count : 0) + (_graphOutputs.Contains(value) ? 1 : 0);

    public TensorProto? Initializer(string value) => _initializers.GetValueOrDefault(value);

    /// <summary>The declared value info (graph input, output or value_info) of <paramref name="value"/>, if any.</summary>
    public ValueInfoProto? ValueInfo(string value) => _valueInfo.GetValueOrDefault(value);

    /// <summary>The tensor of an initializer or <c>Constant</c> node (value / value_float / value_floats), else null.</summary>
    public TensorProto? ConstantTensor(string value)
    {
        if (_initializers.TryGetValue(value, out var init)) return init;
        var p = Producer(value);
        if (p is null || p.OpType != "Constant" || !IsOnnxDomain(p.Domain)) return null;
        foreach (var a in p.Attribute)
        {
            switch (a.Name)
            {
                case "value": return a.T;
                case "value_float": return OnnxTensors.FromFloats(value, [a.F]);
                case "value_floats": return OnnxTensors.FromFloats(value, a.Floats.ToArray(), a.Floats.Count);
            }
        }
        return null;
    }

    /// <summary>True for initializers, Constant outputs and values computed only from those.</summary>
    public bool IsConstant(string value)
    {
        if (value.Length == 0 || _initializers.ContainsKey(value)) return true;
        if (_constantMemo.TryGetValue(value, out var known)) return known;
        _constantMemo[value] = false; // cycle guard; graphs are acyclic
        var p = Producer(value);
        var result = p is not null && (p.OpType == "Constant" || (p.Input.Count > 0 && p.Input.All(IsConstant)));
        _constantMemo[value] = result;
        return result;
    }

    public static bool IsOnnxDomain(string domain) => domain is "" or "ai.onnx";
}
