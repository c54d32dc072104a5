using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Saving and loading models that contain a <see cref="TempScaleEmbeddingTransformer"/>. ML.NET's own
/// <c>mlContext.Model.Save</c> cannot store third-party state (its save context is internal), so these calls write
/// one zip in which every run of built-in transformers is an ordinary ML.NET model (saved with
/// <c>mlContext.Model.Save</c>) and every TempScale step holds the rewritten ONNX model, the vocabulary and the
/// resolved settings. The file does not refer to the original model or vocabulary paths.
/// </summary>
public static class TempScaleModelOperations
{
    internal const string FormatName = "MlNetIso.TempScalePipeline";
    internal const int FormatVersion = 1;
    private const string ManifestEntry = "manifest.json";
    private const string SchemaEntry = "input-schema.zip";

    /// <summary>
    /// Saves <paramref name="model"/> (a transformer or a chain of them, possibly nested, containing TempScale
    /// embedding steps and built-in ML.NET transformers and trainers) to one file at <paramref name="filePath"/>.
    /// Load it with <see cref="LoadWithTempScale(ModelOperationsCatalog, string, out DataViewSchema)"/>.
    /// </summary>
    public static void SaveWithTempScale(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        using var buffer = new MemoryStream();
        catalog.SaveWithTempScale(model, inputSchema, buffer);
        File.WriteAllBytes(filePath, buffer.ToArray());
    }

    /// <summary>Saves <paramref name="model"/> to <paramref name="stream"/> (left open); see the path overload.</summary>
    public static void SaveWithTempScale(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);

        var steps = Flatten(model).ToList();
        var manifest = new PipelineManifest { Format = FormatName, Version = FormatVersion };
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, SchemaEntry, s => catalog.Save(new TransformerChain<ITransformer>(), inputSchema, s));

        var schema = inputSchema;
        var segment = new List<ITransformer>();
        var segmentSchema = schema;
        void FlushSegment()
        {
            if (segment.Count == 0) return;
            var entry = $"steps/{manifest.Steps.Count}/mlnet-model.zip";
            var chain = new TransformerChain<ITransformer>(segment.ToArray());
            WriteEntry(zip, entry, s => catalog.Save(chain, segmentSchema, s));
            manifest.Steps.Add(new PipelineStep { Kind = PipelineStep.MlNetKind, Entry = entry });
            segment.Clear();
        }

        foreach (var step in steps)
        {
            if (step is TempScaleEmbeddingTransformer embedding)
            {
                FlushSegment();
                var folder = $"steps/{manifest.Steps.Count}/";
                TempScaleStepFiles.Write(zip, folder, embedding);
                manifest.Steps.Add(new PipelineStep { Kind = PipelineStep.TempScaleKind, Entry = folder });
            }
            else
            {
                if (segment.Count == 0) segmentSchema = schema;
                segment.Add(step);
            }
            schema = step.GetOutputSchema(schema);
        }
        FlushSegment();
        WriteEntry(zip, ManifestEntry, s => JsonSerializer.Serialize(s, manifest, PipelineManifest.Json));
    }

    /// <summary>
    /// Loads a model saved with <see cref="SaveWithTempScale(ModelOperationsCatalog, ITransformer, DataViewSchema, string)"/>
    /// as a <see cref="TransformerChain{TLastTransformer}"/> of the saved steps, and returns the input schema it was saved with.
    /// Dispose the returned chain's TempScale steps (or the chain's elements) when done to release their ONNX sessions.
    /// </summary>
    public static ITransformer LoadWithTempScale(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        if (!File.Exists(filePath))
            throw new FileNotFoundException($"TempScale model file '{filePath}' does not exist.", filePath);
        using var stream = File.OpenRead(filePath);
        return catalog.LoadWithTempScale(stream, out inputSchema, filePath);
    }

    /// <summary>Loads a model from <paramref name="stream"/>; see the path overload.</summary>
    public static ITransformer LoadWithTempScale(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema) =>
        catalog.LoadWithTempScale(stream, out inputSchema, "stream");

    private static ITransformer LoadWithTempScale(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema, string source)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{source}' is not a TempScale model file (not a zip archive).", e);
        }
        using (zip)
        {
            var manifest = ReadManifest(zip, source);
            using (var schemaStream = ReadEntry(zip, SchemaEntry, source))
                catalog.Load(schemaStream, out inputSchema);
            var steps = new List<ITransformer>();
            try
            {
                foreach (var step in manifest.Steps)
                {
                    if (step.Kind == PipelineStep.MlNetKind)
                    {
                        using var entry = ReadEntry(zip, step.Entry, source);
                        var loaded = catalog.Load(entry, out _);
                        steps.AddRange(Flatten(loaded));
                    }
                    else if (step.Kind == PipelineStep.TempScaleKind)
                        steps.Add(TempScaleStepFiles.Read(zip, step.Entry, source));
                    else
                        throw new InvalidDataException($"'{source}': unknown step kind '{step.Kind}'.");
                }
            }
            catch
            {
                foreach (var s in steps.OfType<IDisposable>()) s.Dispose();
                throw;
            }
            return new TransformerChain<ITransformer>(steps.ToArray());
        }
    }

    /// <summary>The transformers of a model in order, with nested <see cref="TransformerChain{T}"/>s expanded.</summary>
    internal static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        var type = model.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TransformerChain<>))
        {
            foreach (var inner in (IEnumerable<ITransformer>)model)
                foreach (var t in Flatten(inner))
                    yield return t;
        }
        else
            yield return model;
    }

    private static PipelineManifest ReadManifest(ZipArchive zip, string source)
    {
        using var s = ReadEntry(zip, ManifestEntry, source);
        PipelineManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PipelineManifest>(s, PipelineManifest.Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{source}': the manifest is not valid JSON: {e.Message}", e);
        }
        if (manifest is null || manifest.Format != FormatName)
            throw new InvalidDataException($"'{source}' is not a TempScale model file (format '{manifest?.Format}').");
        if (manifest.Version > FormatVersion)
            throw new InvalidDataException(
                $"'{source}' was written by a newer library (format version {manifest.Version}; this one reads up to {FormatVersion}).");
        return manifest;
    }

    internal static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var s = entry.Open();
        buffer.Position = 0;
        buffer.CopyTo(s);
    }

    internal static void WriteText(ZipArchive zip, string name, string text) =>
        WriteEntry(zip, name, s => s.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>A seekable in-memory copy of an entry (ML.NET's loader needs to seek).</summary>
    internal static MemoryStream ReadEntry(ZipArchive zip, string name, string source)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"'{source}' has no entry '{name}'.");
        var buffer = new MemoryStream();
        using (var s = entry.Open()) s.CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    internal static string ReadText(ZipArchive zip, string name, string source)
    {
        using var s = ReadEntry(zip, name, source);
        return Encoding.UTF8.GetString(s.ToArray());
    }
}
