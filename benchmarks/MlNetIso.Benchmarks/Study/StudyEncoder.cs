using System.Security.Cryptography;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// The encoder a study runs: its folder (model.onnx + vocab.txt), a short name for reports and cache paths, the
/// pooling its authors specify (all-MiniLM-L6-v2: mean; snowflake-arctic-embed-xs: [CLS]) and the SHA-256 of its
/// model file. Options: <c>--model DIR|NAME</c> (default: the demo encoder), <c>--pooling mean|cls|max</c>.
/// </summary>
internal sealed record StudyEncoder(string ModelPath, string Name, EmbeddingPooling Pooling, string Description)
{
    private string? _sha256;

    /// <summary>Path of the encoder's vocab.txt.</summary>
    public string VocabularyPath => Path.Combine(Path.GetDirectoryName(ModelPath)!, "vocab.txt");

    /// <summary>Lower-case hex SHA-256 of model.onnx, computed once.</summary>
    public string Sha256
    {
        get
        {
            if (_sha256 is null)
            {
                using var stream = File.OpenRead(ModelPath);
                _sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            return _sha256;
        }
    }

    /// <summary>
    /// Resolves <c>--model</c> (a folder or a built-in name) and <c>--pooling</c> (default: the built-in encoder's own
    /// pooling for a name, else mean).
    /// </summary>
    public static StudyEncoder Resolve(BenchmarkArguments args)
    {
        var encoder = BenchmarkEncoder.Resolve(args);
        var builtIn = BuiltInEncoders.TryGet(args.Value("--model"), out var b) ? b : null;
        var pooling = args.Value("--pooling")?.ToLowerInvariant() switch
        {
            null => builtIn?.Pooling ?? EmbeddingPooling.Mean,
            "mean" => EmbeddingPooling.Mean,
            "cls" => EmbeddingPooling.Cls,
            "max" => EmbeddingPooling.Max,
            var other => throw new ArgumentException($"--pooling must be mean, cls or max, not '{other}'."),
        };
        var name = builtIn?.Name ?? Path.GetFileName(Path.GetFullPath(encoder.Folder).TrimEnd(Path.DirectorySeparatorChar));
        return new StudyEncoder(encoder.ModelPath, name, pooling, $"{encoder.Description}; {pooling} pooling");
    }
}
