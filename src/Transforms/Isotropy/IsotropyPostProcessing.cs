namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// How <see cref="IsotropyTransformer"/> changes the geometry of the column on the way out. Every choice is an affine
/// map fitted in the same single pass that measures the column, so it is saved inside the ML.NET model as a small ONNX
/// graph.
/// </summary>
public enum IsotropyPostProcessing
{
    /// <summary>Pass-through: the output equals the input (converted to <see cref="float"/>).</summary>
    None = 0,

    /// <summary>Centring: <c>y = x − μ</c> with μ the column mean.</summary>
    Center = 1,

    /// <summary>
    /// BERT-whitening (Su et al. 2021): <c>y = (x − μ)·W</c> with <c>W = U·diag(1/√(S + ε))</c> from the eigen
    /// decomposition <c>C = U·diag(S)·Uᵀ</c> of the covariance, optionally keeping the top k columns of W and
    /// L2-normalising y (see <see cref="IsotropyOptions.WhitenComponents"/>, <see cref="IsotropyOptions.WhitenNormalize"/>).
    /// </summary>
    Whiten = 2,

    /// <summary>
    /// All-but-the-top (Mu, Bhat, Viswanath, ICLR 2018): centre, then remove the projections on the top D principal
    /// directions: <c>y = (x − μ) − Σᵢ₌₁ᴰ uᵢuᵢᵀ(x − μ)</c> (see <see cref="IsotropyOptions.AllButTheTopComponents"/>).
    /// </summary>
    AllButTheTop = 3,
}
