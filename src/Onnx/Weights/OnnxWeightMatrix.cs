namespace MlNetIso.Onnx.Weights;

/// <summary>
/// A 2-D floating-point initializer of an ONNX graph, as listed by <see cref="OnnxWeightMatrices"/>: where it is
/// stored, the parameter name it stands for, its shape as stored, and the operators that read it.
/// </summary>
/// <param name="InitializerName">The initializer's name in the graph (exporters may leave it anonymous, e.g. <c>onnx::MatMul_1234</c>).</param>
/// <param name="ParameterName">The parameter it stands for: the initializer name, or for a MatMul/Gemm weight with an
/// exporter-made name (<c>onnx::MatMul_1234</c>, or one without a dot such as <c>927</c>)
/// the name recovered from its bias (<c>X.bias</c> → <c>X.weight</c>) or from the path-like name of its node
/// (<c>/encoder/layer.0/attention/self/query/MatMul</c> → <c>encoder.layer.0.attention.self.query.weight</c>).</param>
/// <param name="Rows">The first dimension as stored (for a MatMul weight: the input width).</param>
/// <param name="Columns">The second dimension as stored.</param>
/// <param name="Consumers">The operator types that read it, in graph order, without repeats (e.g. <c>MatMul</c>, <c>Gather</c>).</param>
public sealed record OnnxWeightMatrix(string InitializerName, string ParameterName, int Rows, int Columns, IReadOnlyList<string> Consumers)
{
    /// <summary>The transformer layer read from <see cref="ParameterName"/> (<see cref="WeightMatrixNaming.Layer"/>), or null.</summary>
    public int? Layer => WeightMatrixNaming.Layer(ParameterName);

    /// <summary>The role read from <see cref="ParameterName"/> (<see cref="WeightMatrixNaming.Role"/>).</summary>
    public WeightMatrixRole Role => WeightMatrixNaming.Role(ParameterName);
}
