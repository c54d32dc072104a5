namespace MlNetIso.Transforms.Persistence;

/// <summary>One step: a nested ML.NET model zip ("mlnet") or a folder written by an <see cref="IPackagedTransformer"/> ("packaged").</summary>
internal sealed class PackageStep
{
    public const string MlNetKind = "mlnet";
    public const string PackagedKind = "packaged";

    public string Kind { get; set; } = "";

    public string Entry { get; set; } = "";

    /// <summary>Assembly-qualified name of the <see cref="IPackagedStepReader"/> (packaged steps only).</summary>
    public string? Reader { get; set; }
}
