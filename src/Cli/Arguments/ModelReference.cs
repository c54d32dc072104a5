using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Cli.Arguments;

/// <summary>
/// What <c>--model</c> names: a built-in encoder (<c>mlnetiso-mini</c>, <c>all-MiniLM-L6-v2</c>,
/// <c>snowflake-arctic-embed-xs</c>), an encoder folder (model.onnx, vocab.txt, config files) or a model.onnx path.
/// An existing file or folder wins over a built-in name.
/// </summary>
internal static class ModelReference
{
    /// <summary>
    /// The encoder used when <c>--model</c> is not given — the one place that chooses it. <c>mlnetiso-mini</c> is the
    /// 2 × 128 demo encoder embedded in MlNetIso.Transforms, so the installed tool works anywhere without a download.
    /// </summary>
    public const string Default = "mlnetiso-mini";

    /// <summary>
    /// The path the embedding transform and <see cref="EncoderFolder.Open"/> accept for <paramref name="nameOrPath"/>: the
    /// path itself when it exists, else the cache folder of the built-in encoder of that name.
    /// </summary>
    /// <remarks>
    /// Built-in names are resolved here through <see cref="BuiltInEncoders.Materialize(string, string?)"/> until
    /// <see cref="EncoderFolder.Open"/> resolves them itself; then this method only checks that the path exists.
    /// </remarks>
    /// <exception cref="FileNotFoundException">Neither a file, a folder nor a built-in name (exit code 3).</exception>
    public static string Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath) || Directory.Exists(nameOrPath)) return nameOrPath;
        if (BuiltInEncoders.IsName(nameOrPath)) return BuiltInEncoders.Materialize(nameOrPath);
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
