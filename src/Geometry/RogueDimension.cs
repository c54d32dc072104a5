namespace MlNetIso.Geometry;

/// <summary>One dimension's share of the average cosine similarity (Timkey &amp; van Schijndel 2021).</summary>
/// <param name="Dimension">Index k.</param>
/// <param name="Contribution">CC_k = E_{i≠j}[x̂ᵢₖ x̂ⱼₖ].</param>
/// <param name="Share">CC_k / Σ_j CC_j.</param>
public readonly record struct RogueDimension(int Dimension, double Contribution, double Share);
