namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>
/// Settings of an I-STAR sweep (<c>mlContext.MulticlassClassification.SweepIStar</c> or
/// <c>mlContext.BinaryClassification.SweepIStar</c>): which options of <see cref="BaseOptions"/> to search, how to pick
/// the candidates, and the stratified k-fold cross-validation that scores each one.
/// </summary>
public sealed class IStarSweepOptions
{
    /// <summary>
    /// The trainer's settings apart from the swept options: columns, mode (head-only or fine-tune), epochs and the
    /// rest. Each fold trains with <c>BaseOptions.Seed</c> (or <see cref="Seed"/> when it is null), the same for every
    /// candidate, so candidates are compared on the same folds and initialisations. <c>ValidationSet</c> and
    /// <c>EarlyStoppingPatience</c> are not used inside the cross-validation.
    /// </summary>
    public IStarOptions BaseOptions { get; set; } = new();

    /// <summary>The options to sweep, by property name; each must carry a search-space attribute. Default λ and ζ.</summary>
    public IList<string> Parameters { get; set; } = [nameof(IStarOptions.Lambda), nameof(IStarOptions.Zeta)];

    /// <summary>
    /// Explicit values for some swept options (a Boolean as 0 or 1), e.g. <c>["Lambda"] = [-1, -0.5, 0, 0.5, 1]</c>; each
    /// must lie in the option's range or be one of its choices. The grid uses them instead of the attribute's points; a
    /// random or Latin-hypercube sweep draws among them.
    /// </summary>
    public IDictionary<string, double[]> Values { get; set; } = new Dictionary<string, double[]>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How the candidates are chosen. Default <see cref="IStarSweepStrategy.Grid"/>.</summary>
    public IStarSweepStrategy Strategy { get; set; } = IStarSweepStrategy.Grid;

    /// <summary>Grid: points per range option without explicit values, evenly spaced in the feature space (both ends included). Default 3.</summary>
    public int GridSteps { get; set; } = 3;

    /// <summary>Random and Latin hypercube: number of candidates drawn. Default 10.</summary>
    public int Candidates { get; set; } = 10;

    /// <summary>Cross-validation folds k (rows split per label, so every fold keeps the label proportions). Default 5.</summary>
    public int Folds { get; set; } = 5;

    /// <summary>Seed of the fold split and of the random candidates (and of training when BaseOptions.Seed is null). Default 0.</summary>
    public int Seed { get; set; }
}
