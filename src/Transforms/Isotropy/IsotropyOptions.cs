namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Settings of <see cref="IsotropyEstimator"/>: which column to write, how to change the geometry on the way out,
/// and how the measurement treats samples and bad rows. Every property has a usable default.
/// </summary>
public sealed class IsotropyOptions
{
    /// <summary>Default of <see cref="SampleSize"/>.</summary>
    public const int DefaultSampleSize = 5000;

    /// <summary>Default of <see cref="RogueTopK"/>.</summary>
    public const int DefaultRogueTopK = 10;

    /// <summary>Default of <see cref="WhitenEpsilon"/>.</summary>
    public const double DefaultWhitenEpsilon = 1e-8;

    /// <summary>
    /// Name of the output column, a known-size <c>Vector&lt;Single&gt;</c>. Null (the default) means the input column's
    /// name: the output then hides the input column, as ML.NET's own one-to-one transforms do.
    /// </summary>
    public string? OutputColumnName { get; set; }

    /// <summary>How the output changes the geometry of the column. Default: <see cref="IsotropyPostProcessing.None"/>.</summary>
    public IsotropyPostProcessing PostProcessing { get; set; } = IsotropyPostProcessing.None;

    /// <summary>
    /// For <see cref="IsotropyPostProcessing.Whiten"/>: how many whitened components to keep (the k of BERT-whitening,
    /// the directions of largest variance first). Null (the default) keeps all d.
    /// </summary>
    public int? WhitenComponents { get; set; }

    /// <summary>
    /// For <see cref="IsotropyPostProcessing.Whiten"/>: L2-normalise each whitened row, <c>y ← y / max(‖y‖₂, 1e-8)</c>,
    /// as BERT-whitening does before cosine similarity. Default true; set false to get identity covariance.
    /// </summary>
    public bool WhitenNormalize { get; set; } = true;

    /// <summary>
    /// For <see cref="IsotropyPostProcessing.Whiten"/>: the ε of <c>W = U·diag(1/√(S + ε))</c>, which keeps directions of
    /// (almost) zero variance finite. Default 1e-8.
    /// </summary>
    public double WhitenEpsilon { get; set; } = DefaultWhitenEpsilon;

    /// <summary>
    /// For <see cref="IsotropyPostProcessing.AllButTheTop"/>: the number D of top principal directions removed. Null
    /// (the default) uses the paper's rule of thumb D = round(d/100), at least 1.
    /// </summary>
    public int? AllButTheTopComponents { get; set; }

    /// <summary>
    /// Size of the seeded uniform (reservoir) sample taken during the single pass; the point-based measures that need
    /// all pairs or neighbours (TwoNN intrinsic dimension, partition isotropy, matrix entropy) run on it. Default 5000.
    /// </summary>
    public int SampleSize { get; set; } = DefaultSampleSize;

    /// <summary>Seed of the reservoir sample, so a report is reproducible. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>How many rogue dimensions (largest per-dimension cosine contributions) the report lists. Default 10.</summary>
    public int RogueTopK { get; set; } = DefaultRogueTopK;

    /// <summary>What to do with a row holding NaN or ±Infinity. Default: <see cref="Isotropy.InvalidValueHandling.Fail"/>.</summary>
    public InvalidValueHandling InvalidValueHandling { get; set; } = InvalidValueHandling.Fail;

    /// <summary>
    /// Threads the covariance kernel of the measuring pass may use (the rows are still read by one cursor, once): blocks
    /// of rows are dealt to this many partitions, folded in parallel and merged exactly (Chan et al.). Default 1; raise
    /// it on a machine with idle cores for wide columns (d in the hundreds). Each partition holds its own d×d co-moment
    /// (8·d² bytes: 4.7 MB at d = 768, 134 MB at d = 4096). Results are deterministic for a given value and differ
    /// between values only by rounding (about 1e-15 relative).
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = 1;

    /// <summary>Cancels a running <see cref="IsotropyEstimator.Fit"/> (checked once per row).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>A copy, so an estimator is not affected by later changes to the caller's object.</summary>
    internal IsotropyOptions Clone() => (IsotropyOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> for a setting that cannot work, naming the setting and the column.</summary>
    internal void Validate(string inputColumnName)
    {
        if (OutputColumnName is { Length: 0 })
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): OutputColumnName must be null or non-empty.", nameof(OutputColumnName));
        if (!Enum.IsDefined(PostProcessing))
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): unknown PostProcessing {PostProcessing}.", nameof(PostProcessing));
        if (!Enum.IsDefined(InvalidValueHandling))
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): unknown InvalidValueHandling {InvalidValueHandling}.", nameof(InvalidValueHandling));
        if (WhitenComponents is <= 0)
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): WhitenComponents must be positive or null, got {WhitenComponents}.", nameof(WhitenComponents));
        if (AllButTheTopComponents is < 0)
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): AllButTheTopComponents must be non-negative or null, got {AllButTheTopComponents}.", nameof(AllButTheTopComponents));
        if (!(WhitenEpsilon >= 0) || double.IsInfinity(WhitenEpsilon))
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): WhitenEpsilon must be a finite non-negative number, got {WhitenEpsilon}.", nameof(WhitenEpsilon));
        if (SampleSize < 2)
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): SampleSize must be at least 2, got {SampleSize}.", nameof(SampleSize));
        if (MaxDegreeOfParallelism < 1)
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): MaxDegreeOfParallelism must be at least 1, got {MaxDegreeOfParallelism}.", nameof(MaxDegreeOfParallelism));
        if (RogueTopK < 0)
            throw new ArgumentException($"MeasureIsotropy('{inputColumnName}'): RogueTopK must be non-negative, got {RogueTopK}.", nameof(RogueTopK));
    }
}
