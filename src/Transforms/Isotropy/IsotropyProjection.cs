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

    /// <summary>Applies the map to one row in double precision (used by tests and as the reference for the ONNX graph).</summary>
    public double[] Apply(ReadOnlySpan<double> x)
    {
        var centred = new double[InputDimension];
        for (int i = 0; i < InputDimension; i++)
            centred[i] = x[i] - (Offset is null ? 0 : Offset[i]);
        if (Matrix is null)
            return centred;
        var y = new double[OutputDimension];
        for (int i = 0; i < InputDimension; i++)
        {
            double c = centred[i];
            for (int j = 0; j < OutputDimension; j++)
                y[j] += c * Matrix[i * OutputDimension + j];
        }
        if (Normalize)
        {
            double norm = Math.Sqrt(y.Sum(v => v * v));
            double divisor = Math.Max(norm, NormFloor);
            for (int j = 0; j < y.Length; j++)
                y[j] /= divisor;
        }
        return y;
    }
}
