namespace MlNetIso.Geometry;

/// <summary>Result of <see cref="TwoNN.Fit"/>.</summary>
/// <param name="Dimension">Estimated intrinsic dimension.</param>
/// <param name="UniquePoints">N, distinct points used.</param>
/// <param name="DuplicatesRemoved">Rows dropped as exact duplicates.</param>
/// <param name="PointsInFit">⌊N(1 − f)⌋ ratios in the regression.</param>
public readonly record struct TwoNNResult(double Dimension, int UniquePoints, int DuplicatesRemoved, int PointsInFit);
