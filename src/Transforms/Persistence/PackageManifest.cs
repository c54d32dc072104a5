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
