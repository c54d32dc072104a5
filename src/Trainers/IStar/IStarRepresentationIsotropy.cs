namespace MlNetIso.Trainers.IStar;

/// <summary>
/// Isotropy of a trained I-STAR model's regularised representation on some data.
/// </summary>
/// <param name="Points">Number of representation points measured.</param>
/// <param name="Dimension">Point dimension n.</param>
/// <param name="IsoScore">IsoScore of all points, <c>(PR(C) − 1)/(n − 1)</c> with PR = (tr C)²/‖C‖²_F (arXiv 2108.07344).</param>
/// <param name="IsoScoreStar">
/// Mean IsoScore* over mini-batches of the training batch size, each batch covariance shrunk by the training ζ
/// towards the covariance of all measured points (the quantity I-STAR regularises, arXiv 2305.19358).
/// </param>
public sealed record IStarRepresentationIsotropy(long Points, int Dimension, double IsoScore, double IsoScoreStar);
