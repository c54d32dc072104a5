using MlNetIso.Onnx.Proto;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Onnx;

/// <summary>
/// A small builder over the ONNX protobuf classes: initializers from arrays, nodes with typed attributes, graph inputs
/// and outputs with symbolic dimensions, opset imports and <c>metadata_props</c>. Generated names are unique within
/// the graph (prefix + counter).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>Domain name of the ONNX Runtime contrib operators.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _opsets = new(StringComparer.Ordinal);
    private readonly List<StringStringEntryProto> _metadata = [];
    private int _counter;

    public OnnxGraphBuilder(string graphName, long onnxOpset)
    {
        Graph = new GraphProto { Name = graphName };
        _opsets[""] = onnxOpset;
    }

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; }

    /// <summary>Imports an operator set (e.g. <see cref="MicrosoftDomain"/> version 1).</summary>
    public void ImportOpset(string domain, long version) => _opsets[domain] = version;

    /// <summary>Adds a <c>metadata_props</c> entry to the model.</summary>
    public void AddMetadata(string key, string value) => _metadata.Add(new StringStringEntryProto { Key = key, Value = value });

    /// <summary>A fresh name starting with <paramref name="prefix"/>.</summary>
    public string Fresh(string prefix)
    {
        string name;
        do name = $"{prefix}_{_counter++}";
        while (!_names.Add(name));
        _reserved.Add(name);
        return name;
    }

    public string AddInitializer(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        Claim(name);
        Graph.Initializer.Add(OnnxTensors.FromFloats(name, data, dims));
        return name;
    }

    public string AddInitializer(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        Claim(name);
        Graph.Initializer.Add(OnnxTensors.FromLongs(name, data, dims));
        return name;
    }

    /// <summary>A float scalar (rank 0) initializer with a generated name.</summary>
    public string Scalar(float value) => AddInitializer(Fresh("const"), [value]);

    /// <summary>A 1-D int64 initializer with a generated name (shapes, axes, indices).</summary>
    public string Int64s(params long[] values) => AddInitializer(Fresh("const"), values, values.Length);

    /// <summary>Adds a node with explicit outputs.</summary>
    public NodeProto AddNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs,
        string domain = "", params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh(opType), Domain = domain };
        node.Input.AddRange(inputs);
        foreach (var o in outputs)
        {
            Claim(o);
            node.Output.Add(o);
        }
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node;
    }

    /// <summary>Adds a single-output ai.onnx node and returns its output name.</summary>
    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) =>
        AddNode(opType, inputs, [Fresh(opType.ToLowerInvariant())], "", attributes).Output[0];

    public void AddInput(string name, DataType type, params OnnxDim[] dims)
    {
        Claim(name);
        Graph.Input.Add(ValueInfo(name, type, dims));
    }

    public void AddOutput(string name, DataType type, params OnnxDim[] dims) => Graph.Output.Add(ValueInfo(name, type, dims));

    /// <summary>Wraps the graph in a model with the imported opsets and metadata.</summary>
    public ModelProto ToModel(string producerName, long irVersion = 8)
    {
        var model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = producerName,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            Graph = Graph,
        };
        foreach (var (domain, version) in _opsets)
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        model.MetadataProps.AddRange(_metadata);
        return model;
    }

    public static ValueInfoProto ValueInfo(string name, DataType type, params OnnxDim[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (d.Symbol is not null) dim.DimParam = d.Symbol;
            else dim.DimValue = d.Value ?? throw new ArgumentException($"Dimension of '{name}' has neither value nor symbol.");
            shape.Dim.Add(dim);
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private void Claim(string name)
    {
        if (_reserved.Remove(name)) return;
        if (!_names.Add(name))
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
    }
}
