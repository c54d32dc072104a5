using System.Text.Json;

namespace MlNetIso.Transforms.Persistence;

/// <summary>Table of contents of a package: format, version and the steps in pipeline order.</summary>
internal sealed class PackageManifest
{
    public const string FormatName = "MlNetIso.Pipeline";
    public const int FormatVersion = 1;

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Format { get; set; } = "";

    public int Version { get; set; }

    public List<PackageStep> Steps { get; set; } = [];
}

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
