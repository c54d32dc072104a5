using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// One column pair of a fitted <see cref="IsotropyTransformer"/> and the <see cref="IsotropyReport"/> measured on it: the
/// counterpart of ML.NET's <c>NormalizingTransformer.ColumnOptions</c>, whose <c>ModelParameters</c> carry what the
/// normalizer learned.
/// </summary>
/// <param name="Name">The output column.</param>
/// <param name="InputColumnName">The measured input column.</param>
/// <param name="InputType">The input column's type as fitted: <c>Vector&lt;Single, d&gt;</c> or <c>Vector&lt;Double, d&gt;</c>.</param>
/// <param name="Report">The geometry measured by <see cref="IsotropyEstimator.Fit"/> on the input column.</param>
public sealed record IsotropyColumn(string Name, string InputColumnName, DataViewType InputType, IsotropyReport Report);
