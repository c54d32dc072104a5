namespace MlNetIso.Geometry;

/// <summary>
/// Singular values of a dense real matrix W (r × c) from the symmetric eigenvalues of its smaller Gram matrix:
/// <c>σ_k = √λ_k(WᵀW)</c> when r ≥ c, else <c>√λ_k(WWᵀ)</c>. The Gram matrix is accumulated in double precision by the
/// covariance kernel (<see cref="CovarianceAccumulator.GetSecondMoment"/>, = Gram/rows) and decomposed by
/// <see cref="SymmetricEigen"/>; eigenvalues below the solver's resolution are set to 0 first
/// (<see cref="SpectralMeasures.FloorRoundingNoise"/>). See docs/algorithms.md, "Singular spectrum of a weight matrix".
/// </summary>
/// <remarks>
/// Squaring the matrix halves the relative resolution: a singular value is resolved down to about
/// <c>√(k·ε)·σ_max</c> (k = min(r, c), ε = 2⁻⁵²), e.g. 3e-7·σ_max for k = 384; smaller ones come out as 0. That is far
/// below what float32 weights carry (2⁻²³ ≈ 1.2e-7 relative per entry), so nothing real is lost for such matrices.
/// Cost: O(r·c·min(r, c)) for the Gram matrix plus O(min(r, c)³) for the eigenvalues.
/// </remarks>
public static class SingularValues
{
    /// <summary>The min(r, c) singular values of a row-major r × c matrix, largest first.</summary>
    /// <param name="rowMajor">r·c finite values; row i is <c>rowMajor[i·c .. (i+1)·c)</c>.</param>
    /// <param name="rows">r ≥ 1.</param>
    /// <param name="columns">c ≥ 1.</param>
    /// <returns>σ₁ ≥ … ≥ σ_min(r,c) ≥ 0.</returns>
    /// <exception cref="ArgumentException">The length is not r·c, or a value is NaN or infinite (the message names the
    /// entry's row and column).</exception>
    public static double[] Of(ReadOnlySpan<float> rowMajor, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (rowMajor.Length != (long)rows * columns)
            throw new ArgumentException($"Expected {rows} × {columns} = {(long)rows * columns} values, got {rowMajor.Length}.", nameof(rowMajor));
        for (int i = 0; i < rowMajor.Length; i++)
            if (!float.IsFinite(rowMajor[i]))
                throw new ArgumentException($"Entry [{i / columns}, {i % columns}] is {rowMajor[i]}; a spectrum needs finite values.", nameof(rowMajor));

        // Feed the rows of W (Gram WᵀW, c × c) or of Wᵀ (Gram WWᵀ, r × r), whichever Gram is smaller.
        int count, dimension;
        float[]? transposed = null;
        if (rows >= columns)
        {
            (count, dimension) = (rows, columns);
        }
        else
        {
            (count, dimension) = (columns, rows);
            transposed = new float[rowMajor.Length];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++)
                    transposed[j * rows + i] = rowMajor[i * columns + j];
        }
        var accumulator = new CovarianceAccumulator(dimension);
        accumulator.AddRows(transposed ?? rowMajor, count);
        var lambda = SpectralMeasures.FloorRoundingNoise(SymmetricEigen.Eigenvalues(accumulator.GetSecondMoment()));
        var sigma = new double[dimension];
        for (int k = 0; k < dimension; k++) sigma[k] = Math.Sqrt(lambda[k] * count);
        return sigma;
    }
}
