using MlNetIso.Trainers.IStar.Inputs;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Model;

/// <summary>
/// A classifier network trained by I-STAR: maps a batch to class logits and to the representation points
/// (one row per point) whose IsoScore* the regulariser acts on.
/// </summary>
internal abstract class ClassifierNetwork : nn.Module
{
    /// <summary>Creates the module with its TorchSharp name.</summary>
    protected ClassifierNetwork(string name) : base(name) { }

    /// <summary>Dimension n of the regularised representation points.</summary>
    public abstract int RepresentationSize { get; }

    /// <summary>Number of classes K.</summary>
    public abstract int ClassCount { get; }

    /// <summary>Logits [B, K] and representation points [P, n] of a batch.</summary>
    public abstract (Tensor Logits, Tensor Points) Forward(IStarBatch batch);
}
