using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Trainers.IStar.Training;
using MlNetIso.Trainers.Native;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Transforms.Persistence;

namespace MlNetIso.Trainers.IStar.Persistence;

/// <summary>
/// The files of an I-STAR step inside a model package: <c>istar.json</c> (<see cref="IStarModelSpec"/>),
/// <c>weights.bin</c> (TorchSharp <c>Module.save</c> format, not PyTorch's) and, in fine-tune mode, the encoder's
/// <c>config.json</c> and <c>vocab.txt</c> so the network and tokenizer can be rebuilt.
/// </summary>
internal static class IStarStepFiles
{
    private const string SpecEntry = "istar.json";
    private const string WeightsEntry = "weights.bin";

    /// <summary>Writes the step of <paramref name="model"/> under <paramref name="folder"/>.</summary>
    public static void Write(ZipArchive zip, string folder, IStarTransformer model)
    {
        PackageEntries.WriteText(zip, folder + SpecEntry, JsonSerializer.Serialize(model.Spec, IStarModelSpec.Json));
        PackageEntries.Write(zip, folder + WeightsEntry, s =>
        {
            using var writer = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
            model.Network.save(writer);
        });
        if (model.Spec.Vocabulary is { } vocabulary)
            PackageEntries.Write(zip, folder + EncoderFolder.VocabularyFileName, s => s.Write(vocabulary));
    }

    /// <summary>Rebuilds the model stored under <paramref name="folder"/>.</summary>
    public static IStarTransformer Read(ZipArchive zip, string folder, string source)
    {
        IStarModelSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<IStarModelSpec>(PackageEntries.ReadText(zip, folder + SpecEntry, source), IStarModelSpec.Json)
                ?? throw new InvalidDataException($"'{source}': {folder}{SpecEntry} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{source}': {folder}{SpecEntry} is not valid JSON: {e.Message}", e);
        }
        if (spec.Version > IStarModelSpec.LatestVersion)
            throw new InvalidDataException(
                $"'{source}': I-STAR step format version {spec.Version} is newer than this library reads ({IStarModelSpec.LatestVersion}).");
        var task = IStarTask.FromName(spec.Task, source);
        var weightsEntry = zip.GetEntry(folder + WeightsEntry)
                           ?? throw new InvalidDataException($"'{source}' has no entry '{folder}{WeightsEntry}'.");
        PackageEntries.CheckEntry(weightsEntry, source);
        spec.Validate(task, weightsEntry.Length, $"'{source}': {folder}{SpecEntry}");
        TorchRuntime.EnsureAvailable();
        var device = IStarDevice.Resolve(spec.Device);
        if (spec.Mode == IStarMode.FineTune)
        {
            using var vocab = PackageEntries.Read(zip, folder + EncoderFolder.VocabularyFileName, source);
            spec.Vocabulary = vocab.ToArray();
        }
        var input = NetworkInputFactory.Create(spec);
        var network = ClassifierNetworkFactory.CreateForLoading(spec, source);
        try
        {
            using var weights = PackageEntries.Read(zip, folder + WeightsEntry, source);
            using var reader = new BinaryReader(weights, Encoding.UTF8, leaveOpen: true);
            network.load(reader, strict: true);
            ClassifierNetworkFactory.MoveTo(network, device);
            return new IStarTransformer(network, spec, task, input, device, []);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            network.Dispose();
            throw new InvalidDataException($"'{source}': the weights in {folder}{WeightsEntry} do not fit the saved I-STAR architecture: {e.Message}", e);
        }
    }
}
