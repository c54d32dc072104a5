using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Trainers.IStar.Sweep;
using MlNetIso.Transforms.Hosting;

// Like ML.NET's CrossValidate, the sweep hangs off the task catalog; the class lives in Microsoft.ML as the trainer catalogs do.
namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.MulticlassClassification.SweepIStar(data, options)</c> and <c>mlContext.BinaryClassification.SweepIStar(...)</c>:
/// choose I-STAR's λ (and ζ, or any option with a search-space attribute) per task, as the paper does (Rudman &amp;
/// Eickhoff, arXiv 2305.19358), by stratified k-fold cross-validated accuracy.
/// </summary>
/// <remarks>
/// The search space comes from the <c>[Range]</c>/<c>[Choice]</c>/<c>[BooleanChoice]</c> attributes of
/// <see cref="MlNetIso.Trainers.IStar.IStarOptions"/> (<see cref="IStarSearchSpace"/>); the candidates are a grid or seeded
/// random / Latin-hypercube points (<see cref="IStarSweepOptions"/>). The result lists every candidate's fold accuracies
/// and the best one; train the final model on all the data with <see cref="IStarSweepResult.BestOptions"/>.
/// </remarks>
public static class IStarSweepCatalog
{
    /// <summary>Sweeps a multiclass I-STAR trainer (key label) over <paramref name="data"/>.</summary>
    public static IStarSweepResult SweepIStar(this MulticlassClassificationCatalog catalog, IDataView data, IStarSweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return IStarSweep.Run(CatalogEnvironment.Get(catalog), data, options, IStarTask.Multiclass);
    }

    /// <summary>Sweeps a binary I-STAR trainer (Boolean label) over <paramref name="data"/>.</summary>
    public static IStarSweepResult SweepIStar(this BinaryClassificationCatalog catalog, IDataView data, IStarSweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return IStarSweep.Run(CatalogEnvironment.Get(catalog), data, options, IStarTask.Binary);
    }
}
