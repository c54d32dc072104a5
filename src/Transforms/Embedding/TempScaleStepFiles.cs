using System.IO.Compression;
using System.Text.Json;
using MlNetIso.Transforms.Persistence;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// The files of one saved TempScale step inside a model zip: <c>model.onnx</c> (already rewritten for τ, external
/// data inlined), <c>vocab.txt</c>, <c>settings.json</c> (resolved settings) and <c>columns.json</c>.
/// </summary>
internal static class TempScaleStepFiles
{
    private sealed class Columns
    {
        public string Input { get; set; } = "";
        public string Output { get; set; } = "";
        public string SourceModel { get; set; } = "";
        public int RewrittenSites { get; set; }
    }

    public static void Write(ZipArchive zip, string folder, TempScaleEmbeddingTransformer transformer)
    {
        var package = transformer.Embedder.Package;
        PackageEntries.Write(zip, folder + "model.onnx", s => s.Write(package.ModelBytes));
        PackageEntries.WriteText(zip, folder + "vocab.txt", package.VocabularyText);
        PackageEntries.WriteText(zip, folder + "settings.json", package.Settings.ToJson());
        PackageEntries.WriteText(zip, folder + "columns.json", JsonSerializer.Serialize(new Columns
        {
            Input = transformer.InputColumnName,
            Output = transformer.OutputColumnName,
            SourceModel = Path.GetFileName(package.ModelName),
            RewrittenSites = package.RewrittenSites,
        }, PackageManifest.Json));
    }

    public static TempScaleEmbeddingTransformer Read(ZipArchive zip, string folder, string source)
    {
        var where = $"'{source}' step '{folder}'";
        Columns columns;
        try
        {
            columns = JsonSerializer.Deserialize<Columns>(PackageEntries.ReadText(zip, folder + "columns.json", source))
                      ?? throw new InvalidDataException($"{where}: columns.json is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: columns.json is not valid JSON: {e.Message}", e);
        }
        if (string.IsNullOrWhiteSpace(columns.Input) || string.IsNullOrWhiteSpace(columns.Output) || columns.RewrittenSites < 0)
            throw new InvalidDataException(
                $"{where}: columns.json must name the input and output columns and a non-negative RewrittenSites count.");
        var settings = EmbeddingSettings.FromJson(PackageEntries.ReadText(zip, folder + "settings.json", source), where);
        var vocab = PackageEntries.ReadText(zip, folder + "vocab.txt", source);
        byte[] model;
        using (var s = PackageEntries.Read(zip, folder + "model.onnx", source))
            model = s.ToArray();
        var package = new EncoderPackage(model, vocab, settings, $"{source}:{folder}model.onnx ({columns.SourceModel})", columns.RewrittenSites);
        package.CheckLoaded($"{source}:{folder}");
        return new TempScaleEmbeddingTransformer(columns.Output, columns.Input, package);
    }
}
