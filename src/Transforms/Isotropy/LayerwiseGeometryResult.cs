namespace MlNetIso.Transforms.Isotropy;

/// <summary>Outcome of <see cref="LayerwiseGeometry.Measure"/>.</summary>
/// <param name="Temperature">The TempScale τ the encoder ran at (1 = unchanged).</param>
/// <param name="TextCount">How many texts were measured.</param>
/// <param name="Layers">h⁽⁰⁾ … h⁽ᴸ⁾ in order: L + 1 entries for an encoder of L layers.</param>
public sealed record LayerwiseGeometryResult(float Temperature, long TextCount, IReadOnlyList<LayerGeometry> Layers);
