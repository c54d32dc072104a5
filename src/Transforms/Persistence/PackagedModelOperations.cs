using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML.Data;
using MlNetIso.Onnx.IO;
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
/// <remarks>
/// Plain <c>mlContext.Model.Save(model, schema, path)</c> cannot store a TempScale or I-STAR step, and ML.NET creates
/// (empties) the file at <c>path</c> before it asks the steps to save themselves, so it throws only after the file
/// there is gone; nothing a step can do runs earlier. <see cref="LoadPackaged(ModelOperationsCatalog, string, out DataViewSchema)"/>
/// recognises the incomplete file such a call leaves and says so.
/// </remarks>
public static class PackagedModelOperations
{
    private const string ManifestEntry = "manifest.json";
    private const string SchemaEntry = "input-schema.zip";

    /// <summary>
    /// ML.NET's own model zips: the repository marker written when the file is created, and the chain's key entry written
    /// once the whole chain has been saved.
    /// </summary>
    private const string MlNetVersionEntry = "TrainingInfo/Version.txt";
    private const string MlNetChainKeyEntry = "TransformerChain/Model.key";

    /// <summary>
    /// Saves <paramref name="model"/> with its <paramref name="inputSchema"/> to <paramref name="filePath"/>,
    /// atomically: the package is written to a temporary file beside the target, flushed to disk and renamed over it,
    /// so an existing package at that path survives any failure (a full disk, an exception in a step, a killed process)
    /// and readers never see a partial package.
    /// </summary>
    public static void SavePackaged(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        AtomicFile.Write(filePath, stream => catalog.SavePackaged(model, inputSchema, stream));
    }

    /// <summary>
    /// The message of the exception a TempScale or I-STAR step throws when plain <c>mlContext.Model.Save</c> asks it to
    /// save itself: what cannot be saved, what ML.NET has already done to the file, and what to use instead.
    /// </summary>
    internal static string PlainSaveMessage(string step) =>
        $"{step} cannot be saved with mlContext.Model.Save (ML.NET's save context is internal to ML.NET). " +
        "If you called Model.Save(model, schema, path), ML.NET had already created the file at that path before asking this step " +
        "to save itself: that file is now an incomplete model, and a model previously saved at that path has been overwritten. " +
        "Save the whole pipeline with mlContext.Model.SavePackaged(model, inputSchema, path) and load it with " +
        "mlContext.Model.LoadPackaged(path, out var inputSchema) (using Microsoft.ML).";

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
    /// <remarks>
    /// A package is untrusted input. Every entry is size-checked before it is decompressed (2 GiB at most, at most
    /// 100-fold expansion above 1 MiB), and every value read (manifest, step settings, tensor shapes, model limits) is
    /// checked with the same rules as the options that produced it. Whatever is wrong with the file ends in
    /// <see cref="InvalidDataException"/> naming the file and the entry.
    /// </remarks>
    /// <exception cref="FileNotFoundException">No file at <paramref name="filePath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid model package (corrupt, truncated, edited, written
    /// by a newer library, or the leftover of a failed plain <c>mlContext.Model.Save</c>); the message says which.</exception>
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
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"'{source}' is not a model package (not a zip archive: {e.Message}).", e);
        }
        using (zip)
        {
            var manifest = ReadManifest(zip, source);
            using (var schemaStream = PackageEntries.Read(zip, SchemaEntry, source))
            {
                inputSchema = Untrusted(source, SchemaEntry, () =>
                {
                    PackageEntries.CheckNestedZip(schemaStream, SchemaEntry, source);
                    catalog.Load(schemaStream, out var schema);
                    return schema;
                });
            }
            var steps = new List<ITransformer>();
            try
            {
                foreach (var step in manifest.Steps)
                    steps.AddRange(Untrusted(source, step.Entry, () => LoadStep(catalog, zip, step, source)));
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
            PackageEntries.CheckNestedZip(entry, step.Entry, source);
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

    /// <summary>
    /// Runs one part of loading an untrusted package; any failure other than an <see cref="InvalidDataException"/>
    /// (ML.NET's and ONNX Runtime's own parse errors, TorchSharp's shape checks) becomes one that names the entry.
    /// </summary>
    private static T Untrusted<T>(string source, string entry, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException or OperationCanceledException))
        {
            throw new InvalidDataException($"'{source}': entry '{entry}' cannot be loaded: {e.Message}", e);
        }
    }

    private static PackageManifest ReadManifest(ZipArchive zip, string source)
    {
        if (zip.GetEntry(ManifestEntry) is null) throw NotAPackage(zip, source);
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
        if (manifest.Version < 1)
            throw new InvalidDataException($"'{source}': the manifest's format version {manifest.Version} is not a valid version.");
        if (manifest.Steps is null)
            throw new InvalidDataException($"'{source}': the manifest lists no steps (\"Steps\" is null).");
        for (var i = 0; i < manifest.Steps.Count; i++)
        {
            var step = manifest.Steps[i] ?? throw new InvalidDataException($"'{source}': manifest step {i} is null.");
            // SavePackaged writes step i under steps/i/, so every step has entries of its own: a manifest cannot make
            // the loader read one entry many times.
            var folder = $"steps/{i}/";
            if (step.Entry is null || !step.Entry.StartsWith(folder, StringComparison.Ordinal) || step.Entry.Contains("..", StringComparison.Ordinal))
                throw new InvalidDataException($"'{source}': manifest step {i} names entry '{step.Entry}', which is not under '{folder}'.");
            if (step.Kind == PackageStep.PackagedKind && (string.IsNullOrWhiteSpace(step.Reader) || !step.Entry.EndsWith('/')))
                throw new InvalidDataException($"'{source}': manifest step {i} ('{step.Entry}') is a packaged step without a reader type or folder.");
        }
        return manifest;
    }

    /// <summary>
    /// The error for a zip without <c>manifest.json</c>: the leftover of a failed plain <c>mlContext.Model.Save</c> (ML.NET's
    /// repository marker but not the chain's key entry, which ML.NET writes only after every step has saved itself), a
    /// complete plain ML.NET model, or some other zip.
    /// </summary>
    private static InvalidDataException NotAPackage(ZipArchive zip, string source)
    {
        var isMlNet = zip.GetEntry(MlNetVersionEntry) is not null;
        var complete = zip.GetEntry(MlNetChainKeyEntry) is not null;
        if (isMlNet && !complete)
            return new InvalidDataException(
                $"'{source}' is not a model package: it is the incomplete file a failed mlContext.Model.Save left behind. " +
                "Model.Save created this file, then stopped at a step it cannot save (a TempScale embedding or I-STAR step), " +
                "so whatever was saved at this path before has been overwritten. Save the model again with " +
                "mlContext.Model.SavePackaged(model, inputSchema, path).");
        if (complete)
            return new InvalidDataException(
                $"'{source}' is a plain ML.NET model (written by mlContext.Model.Save), not a model package: load it with mlContext.Model.Load.");
        return new InvalidDataException($"'{source}' is not a model package (it has no entry '{ManifestEntry}').");
    }
}
