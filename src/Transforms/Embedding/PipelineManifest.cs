using System.Text.Json;

namespace MlNetIso.Transforms.Embedding;

/// <summary>Table of contents of a TempScale model file: the format, its version and the steps in order.</summary>
internal sealed class PipelineManifest
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Format { get; set; } = "";
    public int Version { get; set; }
    public List<PipelineStep> Steps { get; set; } = [];
}

/// <summary>One step: a nested ML.NET model zip, or the folder of a TempScale embedding transform.</summary>
internal sealed class PipelineStep
{
    public const string MlNetKind = "mlnet";
    public const string TempScaleKind = "tempscale";

    public string Kind { get; set; } = "";
    public string Entry { get; set; } = "";
}
