using System.Security.Cryptography;
using System.Text;
using MlNetIso.Onnx;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// The cache of Hugging Face folders imported from ONNX encoders that came without <c>model.safetensors</c>
/// (<see cref="EncoderFolder.EnsureWeights"/>): <c>&lt;cache&gt;/imported/&lt;key&gt;/</c>, where the key is the first 16
/// hex digits of the SHA-256 of the ONNX model and of every external-data file it references, so a re-exported model
/// gets a fresh import and an unchanged one is imported once.
/// </summary>
/// <remarks>
/// The import is written with <see cref="AtomicFile.WriteFolder"/>: into a fresh temporary folder beside the entry,
/// each file flushed to disk, then renamed into place, so a reader never sees a partial entry. Two processes importing
/// the same model at once both build it; the first rename wins and the other discards its identical copy.
/// </remarks>
internal static class ImportedWeights
{
    /// <summary>The sub-folder of the model cache that holds imported folders.</summary>
    public const string FolderName = "imported";

    /// <summary>The imported folder of the model at <paramref name="modelPath"/> under <paramref name="cacheRoot"/>, built when missing.</summary>
    public static string Ensure(string modelPath, string cacheRoot)
    {
        var model = Path.GetFullPath(modelPath);
        var key = ContentKey(model);
        var parent = Path.Combine(Path.GetFullPath(cacheRoot), FolderName);
        var entry = Path.Combine(parent, key);
        if (Directory.Exists(entry)) return entry;

        try
        {
            AtomicFile.WriteFolder(entry, temp => OnnxBertImport.ToHuggingFaceFolder(model, temp));
        }
        catch (IOException) when (Directory.Exists(entry))
        {
            // Another process renamed its (identical) import into place first; entries appear only complete.
        }
        return entry;
    }

    /// <summary>First 16 hex digits of the SHA-256 of the model file followed by each external-data file (name and bytes).</summary>
    internal static string ContentKey(string modelPath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, modelPath);
        var parsed = OnnxModelFile.Load(modelPath);
        var folder = OnnxModelFile.FolderOf(modelPath);
        var external = OnnxExternalData.ValidateAll(parsed, folder, modelPath)
            .Select(r => r.FullPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var file in external)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file) + "\n"));
            Append(hash, file);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void Append(IncrementalHash hash, string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) hash.AppendData(buffer, 0, read);
    }
}
