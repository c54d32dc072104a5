using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Transforms.Hosting;

// Catalog extension classes live in the Microsoft.ML namespace, as ML.NET's own OnnxCatalog, TextCatalog and
// LightGbmCatalog do, so `using Microsoft.ML;` finds the extension; IStarOptions stays in MlNetIso.Trainers.IStar.
namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.BinaryClassification.Trainers.IStar(...)</c>: the binary counterpart of the I-STAR classifier trainer
/// (Rudman &amp; Eickhoff, "Stable Anisotropic Regularization", arXiv 2305.19358). It trains the same network as the
/// multiclass trainer with K = 2 logits and the loss <c>CE + λ·(1 − IsoScore*(points; C0, ζ))</c>; with two classes the
/// cross-entropy is the logistic loss of the margin <c>s = logit₁ − logit₀</c>, so the model is a logistic regression on
/// an I-STAR-regularised representation.
/// </summary>
/// <remarks>
/// The label is a <c>Boolean</c> column (ML.NET's binary convention; true = positive class). The model adds ML.NET's
/// binary output columns: <c>Score</c> = s (Single), <c>Probability</c> = σ(s) (Single) and <c>PredictedLabel</c> = s &gt; 0
/// (Boolean), annotated as ML.NET's binary scorer annotates them, so <c>mlContext.BinaryClassification.Evaluate</c> and
/// <c>EvaluateNonCalibrated</c> work with their default column names. Save the fitted pipeline with
/// <c>mlContext.Model.SavePackaged</c> (namespace MlNetIso.Transforms.Persistence).
/// </remarks>
public static class IStarBinaryCatalog
{
    /// <summary>A binary I-STAR trainer configured by <paramref name="options"/> (head-only or fine-tune mode).</summary>
    public static IStarTrainer IStar(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, IStarOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new IStarTrainer(CatalogEnvironment.Get(catalog), options, IStarTask.Binary);
    }

    /// <summary>
    /// A head-only binary I-STAR trainer over a known-size float vector column (e.g. a TempScale embedding) and a
    /// Boolean label: a tanh MLP head with two logits whose hidden layer is regularised with weight
    /// <paramref name="lambda"/> (negative: less isotropic) and shrinkage <paramref name="zeta"/>.
    /// </summary>
    public static IStarTrainer IStar(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", double lambda = -1.0, double zeta = 0.2,
        int hiddenSize = 64, int epochs = 5, int batchSize = 32, double learningRate = 1e-3, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new IStarTrainer(CatalogEnvironment.Get(catalog),
            IStarCatalog.HeadOnlyOptions(labelColumnName, featureColumnName, lambda, zeta, hiddenSize, epochs, batchSize, learningRate, seed),
            IStarTask.Binary);
    }
}
