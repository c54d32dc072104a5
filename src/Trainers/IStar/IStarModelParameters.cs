using MlNetIso.Trainers.IStar.Model;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// What a trained I-STAR classifier (Rudman &amp; Eickhoff, arXiv 2305.19358) is: the <c>Model</c> of its
/// <see cref="IStarTransformer"/>, as ML.NET's prediction transformers expose their model parameters through
/// <c>ISingleFeaturePredictionTransformer&lt;TModel&gt;.Model</c> (so <c>model.LastTransformer.Model</c> works). Head-only
/// mode: logits = W₂·tanh(W₁x + b₁) + b₂ over a d-dimensional feature vector, the hidden layer regularised towards
/// IsoScore* during training; fine-tune mode: a BERT encoder's mean-pooled states feed a linear head.
/// </summary>
public sealed class IStarModelParameters
{
    private readonly ClassifierNetwork network;

    internal IStarModelParameters(IStarModelSpec spec, ClassifierNetwork network)
    {
        this.network = network;
        IsBinary = spec.Task == IStarTask.Binary.Name;
        IsFineTuned = spec.Mode == IStarMode.FineTune;
        InputColumnName = spec.InputColumnName;
        InputSize = spec.Mode == IStarMode.HeadOnly ? spec.InputSize : 0;
        RepresentationSize = network.RepresentationSize;
        ClassNames = [.. spec.ClassNames];
        Zeta = spec.Zeta;
    }

    /// <summary>True for a binary model (<c>BinaryClassification.Trainers.IStar</c>), false for a multiclass one.</summary>
    public bool IsBinary { get; }

    /// <summary>True when the model fine-tunes an encoder over a text column; false for a head over a feature vector.</summary>
    public bool IsFineTuned { get; }

    /// <summary>The column the model reads: the feature vector (head-only) or the text (fine-tune).</summary>
    public string InputColumnName { get; }

    /// <summary>Head-only: the feature dimension d; 0 in fine-tune mode.</summary>
    public int InputSize { get; }

    /// <summary>Width of the regularised representation: the hidden layer (head-only) or the encoder's hidden size (fine-tune).</summary>
    public int RepresentationSize { get; }

    /// <summary>Number of classes K (2 for a binary model).</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Class names in class order (binary: "False", "True").</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The IsoScore* shrinkage ζ the model was trained (and measures its isotropy) with.</summary>
    public double Zeta { get; }

    /// <summary>
    /// The network's 2-D weight matrices, copied out in PyTorch's layout [out, in], row-major: the head's as
    /// <c>head.&lt;parameter&gt;</c> (head-only: <c>head.hidden.weight</c> W₁ and <c>head.output.weight</c> W₂; fine-tune:
    /// <c>head.head.weight</c>), a fine-tuned encoder's under their own names (<c>encoder.…</c>). They are what the
    /// singular-spectrum diagnostics read (<c>mlnetiso spectrum --model model.zip</c>; docs/geometry.md) to ask whether a
    /// less isotropic representation comes with a more degenerate head spectrum (the softmax bottleneck, Godey et al.).
    /// </summary>
    public IReadOnlyList<IStarWeightMatrix> GetWeightMatrices()
    {
        var matrices = new List<IStarWeightMatrix>();
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (parameter.dim() != 2) continue;
            using var values = parameter.detach().cpu().to_type(TorchSharp.torch.ScalarType.Float32).contiguous();
            matrices.Add(new IStarWeightMatrix(name.StartsWith("encoder.", StringComparison.Ordinal) ? name : "head." + name,
                checked((int)parameter.shape[0]), checked((int)parameter.shape[1]), values.data<float>().ToArray()));
        }
        return matrices;
    }
}
