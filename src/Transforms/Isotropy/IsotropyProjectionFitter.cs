namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Fits the output map (<see cref="IsotropyProjection"/>) of each <see cref="IsotropyPostProcessing"/> from the column
/// mean and the eigen-decomposition of its covariance, both taken from the single measuring pass.
/// </summary>
internal static class IsotropyProjectionFitter
{
    /// <summary>Builds the projection.</summary>
    /// <param name="options">The estimator options.</param>
    /// <param name="columnName">The input column (named in errors).</param>
    /// <param name="mean">Column mean μ (length d).</param>
    /// <param name="eigenvalues">Covariance eigenvalues, descending.</param>
    /// <param name="eigenvectors">Unit eigenvectors as columns, in the same order.</param>
    /// <exception cref="ArgumentException">A component count exceeds the column's dimension.</exception>
    public static IsotropyProjection Fit(
        IsotropyOptions options, string columnName, double[] mean, double[] eigenvalues, double[,] eigenvectors)
    {
        int d = mean.Length;
        float[] offset = ToFloat(mean);
        switch (options.PostProcessing)
        {
            case IsotropyPostProcessing.None:
                return new IsotropyProjection(d, d, null, null, false);
            case IsotropyPostProcessing.Center:
                return new IsotropyProjection(d, d, offset, null, false);
            case IsotropyPostProcessing.Whiten:
                return Whiten(options, columnName, offset, eigenvalues, eigenvectors);
            case IsotropyPostProcessing.AllButTheTop:
                return AllButTheTop(options, columnName, offset, eigenvectors);
            default:
                throw new ArgumentException($"MeasureIsotropy('{columnName}'): unknown PostProcessing {options.PostProcessing}.");
        }
    }

    /// <summary>Throws when a component count of the options exceeds the dimension d (checked before the pass for known sizes).</summary>
    /// <exception cref="ArgumentException">WhitenComponents or AllButTheTopComponents exceeds d.</exception>
    public static void CheckComponentCounts(IsotropyOptions options, string columnName, int dimension)
    {
        if (options.PostProcessing == IsotropyPostProcessing.Whiten && options.WhitenComponents > dimension)
            throw new ArgumentException(
                $"MeasureIsotropy('{columnName}'): WhitenComponents = {options.WhitenComponents} exceeds the column's dimension {dimension}.", nameof(options));
        if (options.PostProcessing == IsotropyPostProcessing.AllButTheTop && AllButTheTopCount(options.AllButTheTopComponents, dimension) > dimension)
            throw new ArgumentException(
                $"MeasureIsotropy('{columnName}'): AllButTheTopComponents = {options.AllButTheTopComponents} exceeds the column's dimension {dimension}.", nameof(options));
    }

    /// <summary>The ABTT component count D: the option, or round(d/100) but at least 1.</summary>
    public static int AllButTheTopCount(int? option, int dimension) =>
        option ?? Math.Max(1, (int)Math.Round(dimension / 100.0, MidpointRounding.AwayFromZero));

    /// <summary>
    /// BERT-whitening: <c>W = U·diag(1/√(S + ε))</c>, first k columns (docs/algorithms.md, "Post-processing: centre,
    /// whiten, all-but-the-top").
    /// </summary>
    private static IsotropyProjection Whiten(
        IsotropyOptions options, string columnName, float[] offset, double[] eigenvalues, double[,] eigenvectors)
    {
        int d = offset.Length;
        CheckComponentCounts(options, columnName, d);
        int k = options.WhitenComponents ?? d;
        var matrix = new float[d * k];
        for (int j = 0; j < k; j++)
        {
            double scale = 1.0 / Math.Sqrt(eigenvalues[j] + options.WhitenEpsilon);
            for (int i = 0; i < d; i++)
                matrix[i * k + j] = (float)(eigenvectors[i, j] * scale);
        }
        return new IsotropyProjection(d, k, offset, matrix, options.WhitenNormalize);
    }

    /// <summary>
    /// All-but-the-top: <c>P = I − Σᵢ₌₁ᴰ uᵢuᵢᵀ</c> applied to the centred row (docs/algorithms.md, "Post-processing:
    /// centre, whiten, all-but-the-top").
    /// </summary>
    private static IsotropyProjection AllButTheTop(
        IsotropyOptions options, string columnName, float[] offset, double[,] eigenvectors)
    {
        int d = offset.Length;
        CheckComponentCounts(options, columnName, d);
        int top = AllButTheTopCount(options.AllButTheTopComponents, d);
        var matrix = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double p = i == j ? 1.0 : 0.0;
                for (int t = 0; t < top; t++)
                    p -= eigenvectors[i, t] * eigenvectors[j, t];
                matrix[i * d + j] = (float)p;
            }
        }
        return new IsotropyProjection(d, d, offset, matrix, false);
    }

    private static float[] ToFloat(double[] values) => [.. values.Select(v => (float)v)];
}
