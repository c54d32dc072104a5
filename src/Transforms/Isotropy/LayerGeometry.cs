namespace MlNetIso.Transforms.Isotropy;

/// <summary>The geometry of one hidden state of an encoder, from <see cref="LayerwiseGeometry.Measure"/>.</summary>
/// <param name="Layer">0 for the embedding output h⁽⁰⁾, ℓ for the output of layer ℓ.</param>
/// <param name="Pooled">The isotropy report of the texts' mean-pooled states of this layer (IsoScore, average cosine,
/// matrix entropy of the pooled cloud, effective ranks, TwoNN, …).</param>
/// <param name="MeanTokenMatrixEntropy">The matrix entropy of each text's own token states
/// (<c>SpectralMeasures.MatrixEntropy</c>, the Diff-eRank recipe), averaged over the texts, in nats.</param>
/// <param name="TokenMatrixEntropyStandardDeviation">The standard deviation of that per-text entropy over the texts
/// (ddof 1), so <c>sd/√texts</c> is the standard error of the mean.</param>
/// <param name="MeanNormalizedTokenMatrixEntropy">Each text's token matrix entropy divided by its bound
/// <c>log min(n − 1, d)</c> (n tokens; centring removes one direction), averaged over the texts — comparable across
/// tokenizers that cut the same texts into different numbers of tokens. A text of 2 tokens counts as 0.</param>
public sealed record LayerGeometry(int Layer, IsotropyReport Pooled, double MeanTokenMatrixEntropy, double TokenMatrixEntropyStandardDeviation,
    double MeanNormalizedTokenMatrixEntropy);
