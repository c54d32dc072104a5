namespace MlNetIso.Trainers.IStar;

/// <summary>
/// One 2-D weight matrix of a trained I-STAR network (<see cref="IStarModelParameters.GetWeightMatrices"/>): its
/// parameter name, its shape [<paramref name="Rows"/> = outputs, <paramref name="Columns"/> = inputs] as PyTorch stores a
/// Linear layer's weight, and its values row-major.
/// </summary>
/// <param name="Name">The parameter name, e.g. <c>head.hidden.weight</c>.</param>
/// <param name="Rows">Output features.</param>
/// <param name="Columns">Input features.</param>
/// <param name="Values">Rows × Columns values, row-major.</param>
public sealed record IStarWeightMatrix(string Name, int Rows, int Columns, float[] Values);
