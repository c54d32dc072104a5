using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Persistence;

// Catalog extension classes (here on mlContext.Model) live in the Microsoft.ML namespace, as ML.NET's own catalogs do,
// so `using Microsoft.ML;` finds SavePackaged/LoadPackaged.
namespace Microsoft.ML;

/// <summary>
/// Saves and loads pipelines that mix built-in ML.NET transformers with <see cref="IPackagedTransformer"/> steps
/// (e.g. the TempScale embedding or the I-STAR classifier), in one zip file: nested chains are flattened, every run
/// of built-in transformers is saved with <c>mlContext.Model.Save</c> as a nested model entry, every packaged step
/// writes its own folder, and <c>manifest.json</c> lists the steps in order with the reader type of each packaged one.
/// </summary>
public static class PackagedModelOperations
{
    private const string ManifestEntry = "manifest.json";
    private const string SchemaEntry = "input-schema.zip";

    /// <summary>Saves <paramref name="model"/> with its <paramref name="inputSchema"/> to <paramref name="filePath"/>.</summary>
    public static void SavePackaged(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        using var buffer = new MemoryStream();
        catalog.SavePackaged(model, inputSchema, buffer);
        File.WriteAllBytes(filePath, buffer.ToArray());
    }

    /// <summary>Saves <paramref name="model"/> to <paramref name="stream"/> (left open).</summary>
    public static void SavePackaged(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);

        var manifest = new PackageManifest { Format = PackageManifest.FormatName, Version = PackageManifest.FormatVersion };
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        PackageEntries.Write(zip, SchemaEntry, s => catalog.Save(new TransformerChain<ITransformer>(), inputSchema, s));

        var schema = inputSchema;
        var segment = new List<ITransformer>();
        var segmentSchema = schema;
        void Flush()
        {
            if (segment.Count == 0) return;
            var entry = $"steps/{manifest.Steps.Count}/mlnet-model.zip";
            var chain = new TransformerChain<ITransformer>(segment.ToArray());
            var chainSchema = segmentSchema;
            PackageEntries.Write(zip, entry, s => catalog.Save(chain, chainSchema, s));
            manifest.Steps.Add(new PackageStep { Kind = PackageStep.MlNetKind, Entry = entry });
            segment.Clear();
        }

        foreach (var step in Flatten(model))
        {
            if (step is IPackagedTransformer packaged)
            {
                Flush();
                var folder = $"steps/{manifest.Steps.Count}/";
                packaged.WriteStep(zip, folder);
                manifest.Steps.Add(new PackageStep
                {
                    Kind = PackageStep.PackagedKind,
                    Entry = folder,
                    Reader = packaged.StepReaderType.AssemblyQualifiedName,
                });
            }
            else
            {
                if (segment.Count == 0) segmentSchema = schema;
                segment.Add(step);
            }
            schema = step.GetOutputSchema(schema);
        }
        Flush();
        PackageEntries.Write(zip, ManifestEntry, s => JsonSerializer.Serialize(s, manifest, PackageManifest.Json));
    }

    /// <summary>
    /// Loads a package written by <see cref="SavePackaged(ModelOperationsCatalog, ITransformer, DataViewSchema, string)"/>
    /// as a flat <see cref="TransformerChain{TLastTransformer}"/> and returns the saved input schema. Dispose the
    /// disposable steps when done.
    /// </summary>
    public static ITransformer LoadPackaged(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        if (!File.Exists(filePath)) throw new FileNotFoundException($"Model package '{filePath}' does not exist.", filePath);
        using var stream = File.OpenRead(filePath);
        return Load(catalog, stream, out inputSchema, filePath);
    }

    /// <summary>Loads a package from <paramref name="stream"/>; see the path overload.</summary>
    public static ITransformer LoadPackaged(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema) =>
        Load(catalog, stream, out inputSchema, "stream");

    /// <summary>The transformers of <paramref name="model"/> in order, nested <see cref="TransformerChain{T}"/>s expanded.</summary>
    public static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var type = model.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TransformerChain<>))
        {
            foreach (var inner in (IEnumerable<ITransformer>)model)
                foreach (var t in Flatten(inner))
                    yield return t;
        }
        else
        {
            yield return model;
        }
    }

    private static ITransformer Load(ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema, string source)
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
            throw new InvalidDataException($"'{source}' is not a model package (not a zip archive).", e);
        }
        using (zip)
        {
            var manifest = ReadManifest(zip, source);
            using (var schemaStream = PackageEntries.Read(zip, SchemaEntry, source))
                catalog.Load(schemaStream, out inputSchema);
            var steps = new List<ITransformer>();
            try
            {
                foreach (var step in manifest.Steps)
                    steps.AddRange(LoadStep(catalog, zip, step, source));
            }
            catch
            {
                foreach (var s in steps.OfType<IDisposable>()) s.Dispose();
                throw;
            }
            return new TransformerChain<ITransformer>(steps.ToArray());
        }
    }

    private static IEnumerable<ITransformer> LoadStep(ModelOperationsCatalog catalog, ZipArchive zip, PackageStep step, string source)
    {
        if (step.Kind == PackageStep.MlNetKind)
        {
            using var entry = PackageEntries.Read(zip, step.Entry, source);
            return Flatten(catalog.Load(entry, out _)).ToArray();
        }
        if (step.Kind != PackageStep.PackagedKind)
            throw new InvalidDataException($"'{source}': unknown step kind '{step.Kind}'.");
        var readerType = Type.GetType(step.Reader ?? "", throwOnError: false)
            ?? throw new InvalidDataException(
                $"'{source}': step '{step.Entry}' needs reader type '{step.Reader}', which cannot be loaded; reference the library that defines it.");
        if (!typeof(IPackagedStepReader).IsAssignableFrom(readerType) || readerType.GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidDataException($"'{source}': '{step.Reader}' is not an IPackagedStepReader with a parameterless constructor.");
        var reader = (IPackagedStepReader)Activator.CreateInstance(readerType)!;
        return [reader.ReadStep(catalog, zip, step.Entry, source)];
    }

    private static PackageManifest ReadManifest(ZipArchive zip, string source)
    {
        using var s = PackageEntries.Read(zip, ManifestEntry, source);
        PackageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PackageManifest>(s, PackageManifest.Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{source}': the manifest is not valid JSON: {e.Message}", e);
        }
        if (manifest is null || manifest.Format != PackageManifest.FormatName)
            throw new InvalidDataException($"'{source}' is not a model package (format '{manifest?.Format}').");
        if (manifest.Version > PackageManifest.FormatVersion)
            throw new InvalidDataException(
                $"'{source}' was written by a newer library (format version {manifest.Version}; this one reads up to {PackageManifest.FormatVersion}).");
        return manifest;
    }
}
