using MlNetIso.Onnx.Proto;

namespace MlNetIso.Onnx.Weights;

/// <summary>
/// The 2-D floating-point initializers (float, double, float16, bfloat16) of an ONNX model — its dense weight
/// matrices and embedding tables — listed in graph order with the parameter names they stand for, and read as float32
/// row-major values for spectral diagnostics (<c>MlNetIso.Geometry.SingularSpectrum</c>). Weights kept in external
/// data files are read from the model's folder. Constants computed in the graph (<c>Constant</c> nodes) are not listed.
/// </summary>
public sealed class OnnxWeightMatrices
{
    private readonly string _folder;
    private readonly Dictionary<string, TensorProto> _tensors = new(StringComparer.Ordinal);

    private OnnxWeightMatrices(ModelProto model, string folder, string source)
    {
        _folder = folder;
        Source = source;
        var index = new OnnxGraphIndex(model.Graph);
        var list = new List<OnnxWeightMatrix>();
        foreach (var t in model.Graph.Initializer)
        {
            if (t.Dims.Count != 2 || !IsFloatingPoint(t.DataType)) continue;
            if (t.Dims[0] < 1 || t.Dims[1] < 1 || t.Dims[0] > int.MaxValue || t.Dims[1] > int.MaxValue || t.Dims[0] * t.Dims[1] > Array.MaxLength)
                throw new InvalidDataException($"ONNX model '{source}': initializer '{t.Name}' has shape [{t.Dims[0]}, {t.Dims[1]}], which cannot be read as a matrix.");
            _tensors[t.Name] = t;
            var consumers = index.Consumers(t.Name).Select(n => n.OpType).Distinct(StringComparer.Ordinal).ToList();
            list.Add(new OnnxWeightMatrix(t.Name, ParameterNameOf(t.Name, index), (int)t.Dims[0], (int)t.Dims[1], consumers));
        }
        Matrices = list;
    }

    /// <summary>The model file, as given to <see cref="Open"/>.</summary>
    public string Source { get; }

    /// <summary>Every 2-D floating-point initializer, in graph order.</summary>
    public IReadOnlyList<OnnxWeightMatrix> Matrices { get; }

    /// <summary>Reads the model at <paramref name="modelPath"/> and lists its weight matrices.</summary>
    /// <param name="modelPath">A model.onnx file.</param>
    /// <returns>The listing; values are read on demand by <see cref="ReadValues"/>.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a valid ONNX model, external data outside its folder, or an
    /// initializer too large for one array (the message names the file and tensor).</exception>
    public static OnnxWeightMatrices Open(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var model = OnnxModelFile.Load(modelPath);
        return new OnnxWeightMatrices(model, OnnxModelFile.FolderOf(modelPath), modelPath);
    }

    /// <summary>The matrix whose initializer name or parameter name is <paramref name="name"/> (exact, ordinal), or null.</summary>
    /// <param name="name">An initializer name (<c>onnx::MatMul_1234</c>) or parameter name (<c>encoder.layer.0.attention.self.query.weight</c>).</param>
    /// <returns>The match (an initializer name wins over a parameter name), or null.</returns>
    public OnnxWeightMatrix? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Matrices.FirstOrDefault(m => m.InitializerName == name) ?? Matrices.FirstOrDefault(m => m.ParameterName == name);
    }

    /// <summary>The values of <paramref name="matrix"/> as float32, row-major in the stored shape [Rows, Columns].</summary>
    /// <param name="matrix">A matrix of this listing.</param>
    /// <returns>Rows·Columns values.</returns>
    /// <exception cref="ArgumentException">The matrix is not from this model.</exception>
    /// <exception cref="InvalidDataException">The stored data do not fill the shape (names the tensor and file).</exception>
    public float[] ReadValues(OnnxWeightMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (!_tensors.TryGetValue(matrix.InitializerName, out var t))
            throw new ArgumentException($"'{matrix.InitializerName}' is not a weight matrix of ONNX model '{Source}'.", nameof(matrix));
        var values = OnnxTensors.ToFloats(t, _folder);
        if (values.LongLength != (long)matrix.Rows * matrix.Columns)
            throw new InvalidDataException(
                $"ONNX model '{Source}': initializer '{t.Name}' holds {values.LongLength} values, not the {matrix.Rows} × {matrix.Columns} its dims say.");
        return values;
    }

    private static bool IsFloatingPoint(int dataType) => (TensorProto.Types.DataType)dataType is
        TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16;

    /// <summary>The parameter an initializer stands for; see <see cref="OnnxWeightMatrix.ParameterName"/>.</summary>
    private static string ParameterNameOf(string initializer, OnnxGraphIndex index)
    {
        if (!IsAnonymous(initializer)) return initializer;
        foreach (var node in index.Consumers(initializer))
        {
            if (!OnnxGraphIndex.IsOnnxDomain(node.Domain) || node.OpType is not ("MatMul" or "Gemm")) continue;
            if (node.OpType == "Gemm" && node.Input.Count > 2 && BiasStem(node.Input[2], index) is { } gemmStem) return gemmStem + ".weight";
            foreach (var add in index.Consumers(node.Output[0]).Where(n => n.OpType == "Add" && OnnxGraphIndex.IsOnnxDomain(n.Domain)))
                foreach (var input in add.Input.Where(i => i != node.Output[0]))
                    if (BiasStem(input, index) is { } stem) return stem + ".weight";
            var path = node.Name;
            var last = path.LastIndexOf('/');
            if (path.StartsWith('/') && last > 0) return path[1..last].Replace('/', '.') + ".weight";
        }
        return initializer;
    }

    /// <summary>Exporter-made names (<c>onnx::MatMul_1234</c>, <c>927</c>): the <c>onnx::</c> prefix or no dot at all.</summary>
    private static bool IsAnonymous(string name) => name.StartsWith("onnx::", StringComparison.Ordinal) || !name.Contains('.');

    private static string? BiasStem(string value, OnnxGraphIndex index) =>
        index.Initializer(value) is not null && value.EndsWith(".bias", StringComparison.Ordinal) && !IsAnonymous(value)
            ? value[..^".bias".Length]
            : null;
}
