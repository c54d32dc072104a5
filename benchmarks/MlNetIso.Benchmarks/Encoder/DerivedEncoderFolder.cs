namespace MlNetIso.Benchmarks.Encoder;

/// <summary>
/// A temporary encoder folder holding another <c>model.onnx</c> (an optimised, rewritten, quantised or re-emitted
/// graph of the same encoder) beside copies of the original folder's vocabulary and configuration files, so the
/// transform can run it like any encoder folder. Deleted on dispose.
/// </summary>
internal sealed class DerivedEncoderFolder : IDisposable
{
    private static readonly string[] SideFiles = ["vocab.txt", "config.json", "tokenizer_config.json"];

    public DerivedEncoderFolder(string sourceFolder, byte[] model, string name)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"mlnetiso-encoder-{name}-{Environment.ProcessId}");
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, "model.onnx"), model);
        foreach (var file in SideFiles)
            if (File.Exists(Path.Combine(sourceFolder, file)))
                File.Copy(Path.Combine(sourceFolder, file), Path.Combine(Folder, file), overwrite: true);
    }

    /// <summary>The folder (pass it as <c>ModelPath</c>).</summary>
    public string Folder { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is not worth failing the benchmark for
        }
    }
}
