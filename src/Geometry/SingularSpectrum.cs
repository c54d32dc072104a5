namespace MlNetIso.Geometry;

/// <summary>
/// Spectral diagnostics of a 2-D weight matrix W (r × c), the read-outs of the softmax-bottleneck study (Godey, de la
/// Clergerie &amp; Sagot, <i>Why do small language models underperform?</i>, COLM 2024, arXiv 2404.07647) applied to any
/// dense layer: with the singular values σ₁ ≥ … ≥ σ_k (k = min(r, c), <see cref="Geometry.SingularValues"/>) and
/// <c>p_i = σ_i/Σσ</c>,
/// <list type="bullet">
/// <item>singular entropy <c>H = −Σ p_i log p_i</c> ∈ [0, log k] and its normalised form <c>H/log k</c> ∈ [0, 1]
/// (1 = all σ equal, a flat spectrum; low = a few directions dominate);</item>
/// <item>effective rank <c>exp(H)</c> ∈ [1, rank] (Roy &amp; Vetterli 2007);</item>
/// <item>the share of the k singular values below <c>tolerance·σ₁</c> (directions the layer all but discards);</item>
/// <item>the stable rank <c>Σσ²/σ₁²</c> = ‖W‖²_F/‖W‖²₂.</item>
/// </list>
/// See docs/algorithms.md, "Singular spectrum of a weight matrix".
/// </summary>
public sealed class SingularSpectrum
{
    /// <summary>The default relative tolerance of <see cref="ShareBelowTolerance"/>: 1 % of σ₁.</summary>
    public const double DefaultRelativeTolerance = 0.01;

    /// <summary>The smallest relative tolerance accepted: the eigen route resolves σ only down to about √(k·ε)·σ₁
    /// (3e-7 for k = 384), so smaller tolerances would count rounding noise.</summary>
    public const double MinimumRelativeTolerance = 1e-6;

    private SingularSpectrum(int rows, int columns, double[] singularValues, double relativeTolerance)
    {
        Rows = rows;
        Columns = columns;
        SingularValues = singularValues;
        RelativeTolerance = relativeTolerance;
        SingularEntropy = SpectralMeasures.SingularEntropyShannon(singularValues);
        EffectiveRank = SpectralMeasures.EffectiveRankSingular(singularValues);
        double largest = singularValues[0];
        NormalizedSingularEntropy = largest == 0 || singularValues.Length == 1 ? 0.0 : SingularEntropy / Math.Log(singularValues.Length);
        ShareBelowTolerance = largest == 0 ? 1.0 : (double)singularValues.Count(s => s < relativeTolerance * largest) / singularValues.Length;
        StableRank = largest == 0 ? 0.0 : singularValues.Sum(s => s * s) / (largest * largest);
    }

    /// <summary>r, the number of rows of W.</summary>
    public int Rows { get; }

    /// <summary>c, the number of columns of W.</summary>
    public int Columns { get; }

    /// <summary>σ₁ ≥ … ≥ σ_k ≥ 0, k = min(r, c).</summary>
    public IReadOnlyList<double> SingularValues { get; }

    /// <summary>The relative tolerance of <see cref="ShareBelowTolerance"/>.</summary>
    public double RelativeTolerance { get; }

    /// <summary>Shannon singular entropy <c>H = −Σ p_i log p_i</c>, <c>p = σ/Σσ</c>, in nats; 0 for a zero matrix.</summary>
    public double SingularEntropy { get; }

    /// <summary><c>H / log k</c> ∈ [0, 1]: 1 for a flat spectrum; 0 for a zero matrix or k = 1.</summary>
    public double NormalizedSingularEntropy { get; }

    /// <summary>Effective rank <c>exp(H)</c> ∈ [1, rank]; 0 for a zero matrix.</summary>
    public double EffectiveRank { get; }

    /// <summary>Share of the k singular values below <c>RelativeTolerance·σ₁</c>, ∈ [0, 1]; 1 for a zero matrix.</summary>
    public double ShareBelowTolerance { get; }

    /// <summary>Stable rank <c>Σσ²/σ₁²</c> ∈ [1, rank]; 0 for a zero matrix.</summary>
    public double StableRank { get; }

    /// <summary>The diagnostics of a row-major r × c matrix.</summary>
    /// <param name="rowMajor">r·c finite values (float32 weights as stored by ONNX and safetensors).</param>
    /// <param name="rows">r ≥ 1.</param>
    /// <param name="columns">c ≥ 1.</param>
    /// <param name="relativeTolerance">Tolerance of <see cref="ShareBelowTolerance"/>, relative to σ₁, in
    /// [<see cref="MinimumRelativeTolerance"/>, 1].</param>
    /// <returns>The spectrum and its measures.</returns>
    /// <exception cref="ArgumentException">Wrong length, or a value is NaN or infinite (names row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException">Tolerance outside its range.</exception>
    public static SingularSpectrum Measure(ReadOnlySpan<float> rowMajor, int rows, int columns, double relativeTolerance = DefaultRelativeTolerance)
    {
        CheckTolerance(relativeTolerance);
        return new SingularSpectrum(rows, columns, Geometry.SingularValues.Of(rowMajor, rows, columns), relativeTolerance);
    }

    private static void CheckTolerance(double relativeTolerance)
    {
        if (!(relativeTolerance >= MinimumRelativeTolerance && relativeTolerance <= 1))
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance,
                $"The relative tolerance must lie in [{MinimumRelativeTolerance}, 1].");
    }
}
