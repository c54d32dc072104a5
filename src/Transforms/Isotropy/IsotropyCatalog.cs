using MlNetIso.Transforms.Isotropy;

// ML.NET's convention: catalog extension classes live in the Microsoft.ML namespace (as OnnxCatalog, TextCatalog,
// VisionCatalog and LightGbmCatalog do), so `mlContext.Transforms.MeasureIsotropy(...)` is found with the
// `using Microsoft.ML;` every ML.NET program already has; the options stay in MlNetIso.Transforms.Isotropy.
namespace Microsoft.ML;

/// <summary>Catalog extension for the isotropy-measuring transform of MlNetIso.</summary>
public static class IsotropyCatalog
{
    /// <summary>
    /// Creates an <see cref="IsotropyEstimator"/> that measures the geometry of the embedding column
    /// <paramref name="inputColumnName"/> (IsoScore, average cosine similarity, partition isotropy, effective ranks, matrix
    /// entropy, TwoNN intrinsic dimension, spectrum, rogue dimensions) in one pass and writes the column, optionally
    /// centred, whitened or all-but-the-top processed, as a known-size <c>Vector&lt;Single&gt;</c>.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="inputColumnName">A <c>Vector&lt;Single&gt;</c> or <c>Vector&lt;Double&gt;</c> column.</param>
    /// <param name="options">Settings; null uses the defaults (output replaces the input column, no post-processing).</param>
    /// <exception cref="ArgumentException">Empty column name or an invalid option (the message names it).</exception>
    public static IsotropyEstimator MeasureIsotropy(this TransformsCatalog catalog, string inputColumnName, IsotropyOptions? options = null) =>
        new(catalog, inputColumnName, options);
}
