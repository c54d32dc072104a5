namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// The fitted output map of the isotropy transform, <c>y = normalise?((x − Offset)·Matrix)</c>, with every part optional:
/// None has neither offset nor matrix, Center only the offset, Whiten and All-but-the-top both (Whiten may also
/// L2-normalise). <see cref="Matrix"/> is row-major, <see cref="InputDimension"/> × <see cref="OutputDimension"/>.
/// </summary>
internal sealed record IsotropyProjection(
    int InputDimension,
    int OutputDimension,
    float[]? Offset,
    float[]? Matrix,
    bool Normalize)
{
    /// <summary>The smallest norm a row is divided by when normalising (as BERT-whitening clips it).</summary>
    public const float NormFloor = 1e-8f;
}
