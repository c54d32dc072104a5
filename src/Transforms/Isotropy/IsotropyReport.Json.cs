using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Transforms.Isotropy;

public sealed partial class IsotropyReport
{
    /// <summary>The value of the <c>format</c> field that marks an isotropy report JSON document.</summary>
    public const string JsonFormat = "mlnetiso.isotropy-report";

    /// <summary>
    /// The version of the JSON layout written by <see cref="ToJson"/>. It changes only when a field changes its meaning;
    /// a new measure is a new field (readers ignore fields they do not know).
    /// </summary>
    public const int JsonVersion = 1;

    /// <summary>The ONNX metadata_props key under which a saved model stores the report JSON.</summary>
    public const string OnnxMetadataKey = "mlnetiso.isotropy.report";

    /// <summary>The <c>format</c> field of the JSON document.</summary>
    [JsonInclude, JsonRequired, JsonPropertyName("format"), JsonPropertyOrder(-2)]
    internal string Format { get; init; } = JsonFormat;

    /// <summary>The <c>version</c> field of the JSON document.</summary>
    [JsonInclude, JsonRequired, JsonPropertyName("version"), JsonPropertyOrder(-1)]
    internal int Version { get; init; } = JsonVersion;

    /// <summary>Writes the report as an indented JSON document (doubles are written round-trippably).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, IsotropyReportJsonContext.Default.IsotropyReport);

    /// <summary>Reads a report written by <see cref="ToJson"/>, by this or an earlier version of the library.</summary>
    /// <exception cref="FormatException">The text is not an isotropy report of a known version (the message says why).</exception>
    public static IsotropyReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        IsotropyReport? report;
        try
        {
            report = JsonSerializer.Deserialize(json, IsotropyReportJsonContext.Default.IsotropyReport);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a valid isotropy report JSON document: {e.Message}", e);
        }
        if (report is null)
            throw new FormatException("Not a valid isotropy report JSON document: it is null.");
        if (report.Format != JsonFormat)
            throw new FormatException($"Not an isotropy report: format is '{report.Format}', expected '{JsonFormat}'.");
        if (report.Version != JsonVersion)
            throw new FormatException($"Isotropy report version {report.Version} is not supported (this library reads version {JsonVersion}).");
        return report;
    }

    /// <summary>Writes the report JSON to a file (UTF-8), replacing it if it exists; the file is written atomically.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, ToJson());
    }

    /// <summary>Reads a report JSON file written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The file is not an isotropy report (the message names the file).</exception>
    public static IsotropyReport Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Isotropy report file '{path}' was not found.", path);
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new FormatException($"Isotropy report file '{path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Re-reads the reports stored in a model zip written by <c>mlContext.Model.Save</c>: each fitted
    /// <see cref="IsotropyTransformer"/> saves its output map as an ONNX graph whose metadata holds the report, so the
    /// statistics survive although the reloaded model consists of ML.NET's built-in transformers only.
    /// </summary>
    /// <param name="modelPath">The saved model zip.</param>
    /// <returns>The reports in the order they appear in the zip (one per isotropy transformer; empty if none).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip archive.</exception>
    public static IReadOnlyList<IsotropyReport> FromSavedModel(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' was not found.", modelPath);
        using var stream = File.OpenRead(modelPath);
        return FromSavedModel(stream);
    }

    /// <summary>As <see cref="FromSavedModel(string)"/>, from a stream holding the model zip.</summary>
    public static IReadOnlyList<IsotropyReport> FromSavedModel(Stream modelZip)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        using var zip = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
        var reports = new List<IsotropyReport>();
        foreach (var entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            if (!entry.Name.Equals(SavedOnnxModelEntry.EntryName, StringComparison.Ordinal))
                continue;
            using var entryStream = entry.Open();
            var onnx = SavedOnnxModelEntry.ReadModelBytes(entryStream);
            if (onnx is null)
                continue;
            var metadata = IsotropyOnnxGraph.ReadMetadata(onnx);
            if (metadata.TryGetValue(OnnxMetadataKey, out var json))
                reports.Add(FromJson(json));
        }
        return reports;
    }
}
