using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Encoders;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// Moves <see cref="BertEncoder"/> weights to and from Hugging Face checkpoints: a folder with <c>config.json</c>
/// and <c>model.safetensors</c>, or an in-memory <see cref="NamedTensor"/> dictionary keyed by Hugging Face names.
/// On load, names may carry the <c>bert.</c> prefix of <c>BertForMaskedLM</c>-style checkpoints, and the old
/// TensorFlow-era LayerNorm names <c>gamma</c>/<c>beta</c> are read as <c>weight</c>/<c>bias</c>.
/// Tensors of heads this encoder does not have are ignored on purpose: <c>pooler.*</c> (the NSP pooler),
/// <c>cls.*</c> (masked-LM / NSP heads) and the <c>embeddings.position_ids</c> buffer. Any other unknown tensor,
/// any missing tensor and any shape mismatch is reported in one exception listing all of them.
/// </summary>
internal static class BertCheckpoint
{
    private static readonly string[] IgnoredPrefixes = ["pooler.", "cls."];
    private static readonly string[] IgnoredNames = ["embeddings.position_ids"];

    /// <summary>The encoder's weights as float32 CPU copies keyed by Hugging Face <c>BertModel</c> names.</summary>
    public static IReadOnlyDictionary<string, NamedTensor> ToNamedTensors(BertEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var result = new SortedDictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in encoder.state_dict())
        {
            using var cpu = tensor.detach().to_type(ScalarType.Float32).cpu().contiguous();
            result[name] = new NamedTensor(cpu.shape.ToArray(), cpu.data<float>().ToArray());
        }
        return result;
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> into <paramref name="encoder"/>. <paramref name="source"/> names the origin
    /// in error messages. Throws <see cref="InvalidDataException"/> listing every missing, unknown or mis-shaped tensor.
    /// </summary>
    public static void Load(BertEncoder encoder, IReadOnlyDictionary<string, NamedTensor> tensors, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(tensors);
        var targets = encoder.state_dict();
        var normalized = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var (rawName, tensor) in tensors)
        {
            var name = NormalizeName(rawName);
            if (IsIgnored(name)) continue;
            if (!targets.ContainsKey(name)) unknown.Add(rawName);
            else normalized[name] = tensor;
        }
        var missing = targets.Keys.Where(k => !normalized.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var mismatched = normalized
            .Where(kv => !kv.Value.Shape.SequenceEqual(targets[kv.Key].shape) || kv.Value.Data.LongLength != kv.Value.ElementCount)
            .Select(kv => $"{kv.Key}: checkpoint [{string.Join(", ", kv.Value.Shape)}] vs encoder [{string.Join(", ", targets[kv.Key].shape)}]")
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
        if (unknown.Count + missing.Count + mismatched.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing tensors: {string.Join(", ", missing)}");
            if (unknown.Count > 0) parts.Add($"unknown tensors: {string.Join(", ", unknown.OrderBy(u => u, StringComparer.Ordinal))}");
            if (mismatched.Count > 0) parts.Add($"shape mismatches: {string.Join("; ", mismatched)}");
            throw new InvalidDataException(
                $"{source} does not match a BERT encoder with hidden {encoder.Config.HiddenSize}, " +
                $"{encoder.Config.NumHiddenLayers} layers, vocab {encoder.Config.VocabSize}: {string.Join("; ", parts)}.");
        }

        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            var t = normalized[name];
            using var src = tensor(t.Data, t.Shape, dtype: ScalarType.Float32);
            target.copy_(src);
        }
    }

    /// <summary>
    /// Reads <c>config.json</c> and <c>model.safetensors</c> of a Hugging Face folder (through <see cref="EncoderFolder"/>)
    /// into a new encoder.
    /// </summary>
    public static BertEncoder LoadFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Model folder '{folder}' does not exist.");
        return LoadFolder(EncoderFolder.Open(folder));
    }

    /// <summary>Reads <c>config.json</c> and <c>model.safetensors</c> of an opened encoder folder into a new encoder.</summary>
    public static BertEncoder LoadFolder(EncoderFolder files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var config = files.LoadBertConfig();
        var tensors = files.ReadWeights();
        var encoder = new BertEncoder(config);
        try
        {
            Load(encoder, tensors, files.WeightsPath);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
        return encoder;
    }

    /// <summary>
    /// Writes <c>config.json</c> and <c>model.safetensors</c> (float32, Hugging Face names) into <paramref name="folder"/>
    /// through <see cref="EncoderFolder.Write"/>, each file atomically.
    /// </summary>
    public static void SaveFolder(BertEncoder encoder, string folder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        EncoderFolder.Write(folder, new EncoderFolderContent { Config = encoder.Config, Weights = ToNamedTensors(encoder) });
    }

    /// <summary>Strips a leading <c>bert.</c> and maps LayerNorm <c>gamma</c>/<c>beta</c> to <c>weight</c>/<c>bias</c>.</summary>
    internal static string NormalizeName(string name)
    {
        if (name.StartsWith("bert.", StringComparison.Ordinal)) name = name["bert.".Length..];
        if (name.EndsWith("LayerNorm.gamma", StringComparison.Ordinal)) name = name[..^"gamma".Length] + "weight";
        else if (name.EndsWith("LayerNorm.beta", StringComparison.Ordinal)) name = name[..^"beta".Length] + "bias";
        return name;
    }

    private static bool IsIgnored(string name)
        => IgnoredNames.Contains(name) || IgnoredPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
