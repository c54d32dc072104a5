using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetIso.Geometry;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Transforms.Isotropy;

public sealed partial class IsotropyReport
{
    /// <summary>The value of the <c>format</c> field that marks an isotropy report JSON document.</summary>
    public const string JsonFormat = "mlnetiso.isotropy-report";

    /// <summary>The version of the JSON layout written by <see cref="ToJson"/>.</summary>
    public const int JsonVersion = 1;

    /// <summary>The ONNX metadata_props key under which a saved model stores the report JSON.</summary>
    public const string OnnxMetadataKey = "mlnetiso.isotropy.report";

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes the report as an indented JSON document (doubles are written round-trippably).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToDocument(), SerializerOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not an isotropy report of a known version (the message says why).</exception>
    public static IsotropyReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ReportDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ReportDocument>(json, SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a valid isotropy report JSON document: {e.Message}", e);
        }
        if (document is null)
            throw new FormatException("Not a valid isotropy report JSON document: it is null.");
        if (document.Format != JsonFormat)
            throw new FormatException($"Not an isotropy report: format is '{document.Format}', expected '{JsonFormat}'.");
        if (document.Version != JsonVersion)
            throw new FormatException($"Isotropy report version {document.Version} is not supported (this library reads version {JsonVersion}).");
        return document.ToReport();
    }

    /// <summary>
    /// Writes the report JSON to a file (UTF-8), replacing it if it exists; atomically (a temporary file beside it,
    /// flushed, then renamed over it), so an interrupted save leaves the old file.
    /// </summary>
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

    private ReportDocument ToDocument() => new()
    {
        Format = JsonFormat,
        Version = JsonVersion,
        ColumnName = ColumnName,
        Count = Count,
        SkippedRowCount = SkippedRowCount,
        Dimension = Dimension,
        SampleCount = SampleCount,
        IsoScore = IsoScore,
        ParticipationRatio = ParticipationRatio,
        TopDimensionVarianceShare = TopDimensionVarianceShare,
        AverageCosineSimilarity = AverageCosineSimilarity,
        CosineToMean = CosineToMean,
        PartitionIsotropy = PartitionIsotropy,
        EffectiveRank = EffectiveRank,
        MatrixEntropy = MatrixEntropy,
        IntrinsicDimension = IntrinsicDimension,
        Eigenvalues = [.. Eigenvalues],
        RogueDimensions = [.. RogueDimensions],
        PostProcessing = PostProcessing,
        OutputDimension = OutputDimension,
    };

    /// <summary>The JSON layout (version 1).</summary>
    private sealed class ReportDocument
    {
        public required string Format { get; init; }
        public required int Version { get; init; }
        public required string ColumnName { get; init; }
        public required long Count { get; init; }
        public required long SkippedRowCount { get; init; }
        public required int Dimension { get; init; }
        public required int SampleCount { get; init; }
        public required double IsoScore { get; init; }
        public required double ParticipationRatio { get; init; }
        public required double TopDimensionVarianceShare { get; init; }
        public required double AverageCosineSimilarity { get; init; }
        public required double CosineToMean { get; init; }
        public required double PartitionIsotropy { get; init; }
        public required IsotropyEffectiveRank EffectiveRank { get; init; }
        public required double MatrixEntropy { get; init; }
        public required double IntrinsicDimension { get; init; }
        public required double[] Eigenvalues { get; init; }
        public required RogueDimension[] RogueDimensions { get; init; }
        public required IsotropyPostProcessing PostProcessing { get; init; }
        public required int OutputDimension { get; init; }

        public IsotropyReport ToReport() => new(
            ColumnName, Count, SkippedRowCount, Dimension, SampleCount, IsoScore, ParticipationRatio,
            TopDimensionVarianceShare, AverageCosineSimilarity, CosineToMean, PartitionIsotropy, EffectiveRank,
            MatrixEntropy, IntrinsicDimension, Eigenvalues, RogueDimensions, PostProcessing, OutputDimension);
    }
}
