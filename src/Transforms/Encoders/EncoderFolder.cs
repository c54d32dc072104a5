using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// A Hugging Face / sentence-transformers encoder folder, read once: <c>model.onnx</c> (ONNX external data beside
/// it), <c>vocab.txt</c>, <c>config.json</c> (<see cref="BertConfig"/>), <c>tokenizer_config.json</c>
/// (<see cref="TokenizerConfig"/>), the sentence-transformers files (<see cref="SentenceTransformersConfig"/>) and
/// <c>model.safetensors</c>. This is the one contract for the layout and the one place where an encoder's name or
/// path becomes a folder: the TempScale embedding transform, I-STAR fine-tuning and encoder export, the CLI, the
/// samples and the demo-encoder tool all open and write folders through it.
/// </summary>
/// <remarks>
/// <see cref="Open(string)"/> accepts a folder, the path of an ONNX model (whose folder holds the other files), or the
/// name of a built-in encoder (<see cref="BuiltInEncoders"/>: <c>all-MiniLM-L6-v2</c>, <c>snowflake-arctic-embed-xs</c>,
/// <c>mlnetiso-mini</c> and the Hugging Face ids), which is materialised into the model cache on first use. Instances
/// are immutable snapshots: the small JSON files are parsed when the folder is opened, the large files (model,
/// vocabulary, weights) are read when asked for.
/// </remarks>
public sealed class EncoderFolder
{
    /// <summary>The ONNX model's file name inside a folder.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The WordPiece vocabulary's file name.</summary>
    public const string VocabularyFileName = "vocab.txt";

    /// <summary>The Hugging Face model configuration's file name.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The Hugging Face tokenizer configuration's file name.</summary>
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    /// <summary>The safetensors weights' file name.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The model card's file name.</summary>
    public const string ModelCardFileName = "README.md";

    private EncoderFolder(string folder, string modelPath, BuiltInEncoder? builtIn)
    {
        Folder = folder;
        ModelPath = modelPath;
        BuiltIn = builtIn;
        Tokenizer = TokenizerConfig.Read(Path.Combine(folder, TokenizerConfigFileName));
        var config = EncoderJson.ReadObject(ConfigPath);
        MaxPositionEmbeddings = EncoderJson.Int(config, "max_position_embeddings") is > 2 and var n ? n : null;
        HasConfig = config is not null;
        SentenceTransformers = SentenceTransformersConfig.Read(folder);
        HasModel = File.Exists(modelPath);
        HasVocabulary = File.Exists(VocabularyPath);
        HasWeights = File.Exists(WeightsPath);
    }

    /// <summary>Full path of the folder.</summary>
    public string Folder { get; }

    /// <summary>Full path of the ONNX model: the path given to <see cref="Open(string)"/>, or <c>model.onnx</c> in the folder.</summary>
    public string ModelPath { get; }

    /// <summary>The built-in encoder whose name was opened (the folder is then its cache entry); null when opened by path.</summary>
    public BuiltInEncoder? BuiltIn { get; }

    /// <summary>Full path of <c>vocab.txt</c>.</summary>
    public string VocabularyPath => Path.Combine(Folder, VocabularyFileName);

    /// <summary>Full path of <c>config.json</c>.</summary>
    public string ConfigPath => Path.Combine(Folder, ConfigFileName);

    /// <summary>Full path of <c>model.safetensors</c>.</summary>
    public string WeightsPath => Path.Combine(Folder, WeightsFileName);

    /// <summary>Whether the ONNX model existed when the folder was opened.</summary>
    public bool HasModel { get; }

    /// <summary>Whether <c>vocab.txt</c> existed when the folder was opened.</summary>
    public bool HasVocabulary { get; }

    /// <summary>Whether <c>config.json</c> existed when the folder was opened.</summary>
    public bool HasConfig { get; }

    /// <summary>Whether <c>model.safetensors</c> existed when the folder was opened.</summary>
    public bool HasWeights { get; }

    /// <summary>
    /// <c>max_position_embeddings</c> of <c>config.json</c> when it is an integer above 2; null otherwise. Read loosely,
    /// so that configs of encoders the TorchSharp <see cref="BertConfig"/> does not describe still give their length.
    /// </summary>
    public int? MaxPositionEmbeddings { get; }

    /// <summary>The tokenizer settings (<see cref="TokenizerConfig.Default"/> when there is no tokenizer_config.json).</summary>
    public TokenizerConfig Tokenizer { get; }

    /// <summary>The sentence-transformers description; null when the folder has neither modules.json nor sentence_bert_config.json.</summary>
    public SentenceTransformersConfig? SentenceTransformers { get; }

    /// <summary>
    /// Opens an encoder given as a folder, as the path of its ONNX model (whose folder holds the other files), or as a
    /// built-in name (see <see cref="BuiltInEncoders"/>), materialised into <see cref="BuiltInEncoders.DefaultCacheFolder"/>.
    /// </summary>
    /// <remarks>
    /// An existing file or folder wins over a built-in name: a folder literally called <c>all-MiniLM-L6-v2</c> in the
    /// working directory is opened as that folder. A path that exists neither as a folder nor as a file, and is not a
    /// built-in name, is taken as the model's path; reading the model then reports the missing file.
    /// </remarks>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    /// <exception cref="InvalidDataException">One of the JSON files is malformed; the message names it.</exception>
    /// <exception cref="FileNotFoundException">A built-in name whose NuGet package is not found; the message names the PackageReference to add.</exception>
    public static EncoderFolder Open(string nameOrPath) => Open(nameOrPath, cacheFolder: null);

    /// <summary>
    /// <see cref="Open(string)"/> with the cache folder in which a built-in name is materialised; null means
    /// <see cref="BuiltInEncoders.DefaultCacheFolder"/>.
    /// </summary>
    public static EncoderFolder Open(string nameOrPath, string? cacheFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var full = Path.GetFullPath(nameOrPath);
        if (Directory.Exists(full)) return new EncoderFolder(full, Path.Combine(full, ModelFileName), null);
        if (!File.Exists(full) && BuiltInEncoders.TryGet(nameOrPath, out var builtIn))
        {
            var entry = BuiltInEncoders.Materialize(builtIn, cacheFolder ?? BuiltInEncoders.DefaultCacheFolder, null);
            return new EncoderFolder(entry, Path.Combine(entry, ModelFileName), builtIn);
        }
        return new EncoderFolder(Path.GetDirectoryName(full)!, full, null);
    }

    /// <summary>
    /// Whether <see cref="Open(string)"/> finds something for <paramref name="nameOrPath"/>: an existing folder or file,
    /// or a built-in name (not materialised by this check).
    /// </summary>
    public static bool CanOpen(string? nameOrPath)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath)) return false;
        var full = Path.GetFullPath(nameOrPath);
        return Directory.Exists(full) || File.Exists(full) || BuiltInEncoders.IsName(nameOrPath);
    }

    /// <summary>
    /// This encoder with Hugging Face weights — <c>config.json</c> and <c>model.safetensors</c> — as TorchSharp
    /// training needs them. A folder that has <c>model.safetensors</c> is returned as it is. Otherwise the weights are
    /// recovered from the ONNX model by <see cref="OnnxBertImport"/>, once: a built-in encoder's cache entry gets
    /// <c>model.safetensors</c> beside its <c>model.onnx</c>; any other folder is left untouched and imported into
    /// <c>&lt;cache&gt;/imported/&lt;first 16 hex digits of the SHA-256 of the model and its external data&gt;/</c>
    /// (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.txt</c>, <c>tokenizer_config.json</c>), which is
    /// returned. Files and folders are written atomically (temporary name, flushed, renamed), so concurrent callers
    /// only ever see complete weights.
    /// </summary>
    /// <param name="cacheFolder">Root of the cache for imported folders; null means <see cref="BuiltInEncoders.DefaultCacheFolder"/>.</param>
    /// <exception cref="FileNotFoundException">The folder has neither model.safetensors nor the ONNX model.</exception>
    /// <exception cref="InvalidDataException">The ONNX model is not a BERT graph the import recognises; the message says what was not found.</exception>
    public EncoderFolder EnsureWeights(string? cacheFolder = null)
    {
        if (HasWeights) return this;
        if (File.Exists(WeightsPath)) return new EncoderFolder(Folder, ModelPath, BuiltIn); // written since this snapshot
        if (!File.Exists(ModelPath))
            throw new FileNotFoundException(
                $"Encoder folder '{Folder}' has neither {WeightsFileName} nor an ONNX model '{ModelPath}' to recover the weights from.", ModelPath);
        if (BuiltIn is not null)
        {
            SafeTensors.Write(WeightsPath, OnnxBertImport.Read(ModelPath).Tensors);
            return new EncoderFolder(Folder, ModelPath, BuiltIn);
        }
        return Open(ImportedWeights.Ensure(ModelPath, cacheFolder ?? BuiltInEncoders.DefaultCacheFolder));
    }

    /// <summary>The encoder's shape from <c>config.json</c>, checked as a supported BERT encoder (TorchSharp training, export).</summary>
    /// <exception cref="FileNotFoundException">The folder has no config.json.</exception>
    /// <exception cref="InvalidDataException">The config is malformed or not a supported BERT encoder; the message names the file.</exception>
    public BertConfig LoadBertConfig() => BertConfig.Load(ConfigPath);

    /// <summary>The bytes of <c>vocab.txt</c>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no vocab.txt; the message names the folder.</exception>
    public byte[] ReadVocabulary()
    {
        if (!File.Exists(VocabularyPath))
            throw new FileNotFoundException($"Encoder folder '{Folder}' has no {VocabularyFileName}.", VocabularyPath);
        return File.ReadAllBytes(VocabularyPath);
    }

    /// <summary>The weights of <c>model.safetensors</c>, keyed by their Hugging Face names.</summary>
    /// <exception cref="FileNotFoundException">The folder has no model.safetensors.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names it.</exception>
    public IReadOnlyDictionary<string, NamedTensor> ReadWeights() => SafeTensors.Read(WeightsPath);

    /// <summary>
    /// Writes <paramref name="content"/> into <paramref name="folder"/> and opens the result. The files are written
    /// into a temporary folder beside it and flushed to disk first (<see cref="Onnx.IO.AtomicFile.WriteFolder"/>): a
    /// new folder then appears complete by one rename; in an existing folder each file is renamed over its namesake
    /// (files the content does not include are kept), so a failure or a killed process never leaves a half-written file.
    /// </summary>
    /// <exception cref="ArgumentException">The folder is empty, or sentence-transformers files are asked for without a pooling.</exception>
    public static EncoderFolder Write(string folder, EncoderFolderContent content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(content);
        var full = Path.GetFullPath(folder);
        if (content.SentenceTransformers is { Pooling: null })
            throw new ArgumentException("EncoderFolderContent.SentenceTransformers needs a Pooling (CLS, mean or max) to be written.", nameof(content));
        if (content.SentenceTransformers is { WordEmbeddingDimension: null } && content.Config is null)
            throw new ArgumentException(
                "EncoderFolderContent.SentenceTransformers needs a WordEmbeddingDimension when no Config gives the hidden size.", nameof(content));
        AtomicFile.WriteFolder(full, temp =>
        {
            content.Config?.Save(Path.Combine(temp, ConfigFileName));
            if (content.Weights is { } weights) SafeTensors.Write(Path.Combine(temp, WeightsFileName), weights);
            if (content.Vocabulary is { } vocabulary) AtomicFile.WriteAllBytes(Path.Combine(temp, VocabularyFileName), vocabulary);
            content.Tokenizer?.Write(Path.Combine(temp, TokenizerConfigFileName));
            if (content.OnnxModel is { } onnx) AtomicFile.WriteAllBytes(Path.Combine(temp, ModelFileName), onnx);
            content.SentenceTransformers?.Write(temp, content.Config?.HiddenSize ?? 0);
            if (content.ModelCard is { } card) AtomicFile.WriteAllText(Path.Combine(temp, ModelCardFileName), card);
        });
        return Open(full);
    }
}
