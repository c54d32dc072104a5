namespace MlNetIso.Trainers.IStar;

/// <summary>Metrics of one I-STAR training epoch (also written to <c>mlContext.Log</c>).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean training loss <c>CE + λ(1 − IsoScore*)</c> over the epoch's mini-batches.</param>
/// <param name="TaskLoss">Mean cross-entropy over the epoch's mini-batches.</param>
/// <param name="IsoScoreStar">Mean mini-batch IsoScore* of the regularised points (NaN when λ = 0: not computed).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set after the epoch (NaN without one).</param>
public sealed record IStarEpochMetrics(int Epoch, double Loss, double TaskLoss, double IsoScoreStar, double ValidationAccuracy);
