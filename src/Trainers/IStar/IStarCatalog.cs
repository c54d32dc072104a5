using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Transforms.Hosting;

// Catalog extension classes live in the Microsoft.ML namespace, as ML.NET's own OnnxCatalog, TextCatalog and
// LightGbmCatalog do, so `using Microsoft.ML;` finds the extension; IStarOptions stays in MlNetIso.Trainers.IStar.
namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.MulticlassClassification.Trainers.IStar(...)</c>: the I-STAR classifier trainer (arXiv 2305.19358).
/// Like ML.NET's own catalogs the class lives in <c>Microsoft.ML</c>; <see cref="IStarOptions"/> is in <c>MlNetIso.Trainers.IStar</c>.
/// </summary>
public static class IStarCatalog
{
    /// <summary>An I-STAR trainer configured by <paramref name="options"/>.</summary>
    public static IStarTrainer IStar(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, IStarOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new IStarTrainer(CatalogEnvironment.Get(catalog), options, IStarTask.Multiclass);
    }

    /// <summary>
    /// A head-only I-STAR trainer over a known-size float vector column (e.g. a TempScale embedding): a tanh MLP head
    /// whose hidden layer is regularised with weight <paramref name="lambda"/> (negative: less isotropic).
    /// </summary>
    public static IStarTrainer IStar(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", double lambda = -1.0, double zeta = 0.2,
        int hiddenSize = 64, int epochs = 5, int batchSize = 32, double learningRate = 1e-3, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new IStarTrainer(CatalogEnvironment.Get(catalog),
            HeadOnlyOptions(labelColumnName, featureColumnName, lambda, zeta, hiddenSize, epochs, batchSize, learningRate, seed),
            IStarTask.Multiclass);
    }

    /// <summary>The options the convenience overloads of both catalogs build: head-only mode with the given settings.</summary>
    internal static IStarOptions HeadOnlyOptions(string labelColumnName, string featureColumnName, double lambda, double zeta,
        int hiddenSize, int epochs, int batchSize, double learningRate, int? seed) => new()
    {
        LabelColumnName = labelColumnName,
        FeatureColumnName = featureColumnName,
        Lambda = lambda,
        Zeta = zeta,
        HiddenSize = hiddenSize,
        Epochs = epochs,
        BatchSize = batchSize,
        LearningRate = learningRate,
        Seed = seed,
    };
}
