using System.Text;
using Google.Protobuf;
using MlNetIso.Onnx.Attention;
using MlNetIso.Transforms.Embedding.Tokenization;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Everything a fitted embedding transform needs, independent of the files it came from: the (TempScale-rewritten,
/// external-data-inlined) ONNX bytes, the vocabulary text and the resolved settings. This is what is persisted.
/// </summary>
internal sealed record EncoderPackage(byte[] ModelBytes, string VocabularyText, EmbeddingSettings Settings, string ModelName, int RewrittenSites)
{
    /// <summary>Builds the package from user options: reads the model folder, resolves defaults, applies TempScale.</summary>
    public static EncoderPackage FromOptions(TempScaleEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var encoder = EncoderFolder.Open(options.ModelPath);
        var modelPath = encoder.ModelPath;
        var model = EncoderModelFile.Read(modelPath);

        var vocabPath = Path.GetFullPath(options.VocabularyPath ?? encoder.VocabularyPath);
        if (!File.Exists(vocabPath))
            throw new FileNotFoundException(
                $"Vocabulary '{vocabPath}' does not exist (set TempScaleEmbeddingOptions.VocabularyPath, or put vocab.txt beside the model).",
                vocabPath);
        var vocabText = File.ReadAllText(vocabPath, Encoding.UTF8);

        var tokenizer = encoder.Tokenizer.ToTokenizerOptions(options.LowerCase, options.StripAccents);
        var conventions = encoder.SentenceTransformers;
        var positions = encoder.MaxPositionEmbeddings ?? EncoderModelFile.MaxPositionsFromMetadata(model);
        var settings = new EmbeddingSettings
        {
            Temperature = options.Temperature,
            Pooling = options.Pooling ?? DefaultPooling(conventions, modelPath),
            Normalize = options.Normalize ?? conventions?.Normalize ?? true,
            MaxTokens = options.MaxTokens ?? DefaultMaxTokens(conventions, encoder.Tokenizer, positions),
            BatchSize = options.BatchSize,
            ReadAheadBatches = options.ReadAheadBatches,
            LongText = options.LongText,
            ChunkOverlap = options.ChunkOverlap,
            LowerCase = tokenizer.LowerCase,
            StripAccents = tokenizer.EffectiveStripAccents,
            IntraOpThreads = options.IntraOpThreads,
            ExecutionProvider = options.ExecutionProvider,
            GpuDeviceId = options.GpuDeviceId,
            OnnxRuntimeLogLevel = options.OnnxRuntimeLogLevel,
            Prefix = options.Prefix ?? DefaultPrefix(conventions, options.TextKind),
        };
        if (settings.Prefix.Length > 0 && conventions is { IncludePrompt: false } && settings.Pooling != EmbeddingPooling.Cls)
            throw new NotSupportedException(
                $"Encoder '{modelPath}': its pooling module sets include_prompt = false (pool the text's tokens without the prompt's), " +
                $"which the TempScale embedding transform does not implement for {settings.Pooling} pooling. Set " +
                "TempScaleEmbeddingOptions.Prefix = \"\" to embed without the prompt, or use CLS pooling.");
        settings.Validate($"Encoder '{modelPath}'");

        var bytes = model.ToByteArray();
        var sites = 0;
        if (settings.Temperature != 1f)
        {
            TempScaleResult rewritten;
            try
            {
                rewritten = TempScale.Rewrite(bytes, settings.Temperature);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException(
                    $"TempScale τ = {settings.Temperature} cannot be applied to encoder '{modelPath}': {e.Message}", e);
            }
            catch (NotSupportedException e)
            {
                throw new NotSupportedException(
                    $"TempScale τ = {settings.Temperature} cannot be applied to encoder '{modelPath}': {e.Message}", e);
            }
            bytes = rewritten.Model;
            sites = rewritten.RewrittenSites;
        }
        var package = new EncoderPackage(bytes, vocabText, settings, modelPath, sites);
        package.CheckVocabularyFitsModel(model, vocabPath);
        return package;
    }

    /// <summary>
    /// The folder's sentence-transformers pooling; mean when the folder has no pooling module. A pooling module that
    /// asks for a mode this transform lacks (mean of square-root length, weighted mean, last token, or several modes at
    /// once) is refused rather than replaced.
    /// </summary>
    private static EmbeddingPooling DefaultPooling(SentenceTransformersConfig? conventions, string modelPath)
    {
        if (conventions is null || conventions.Pooling is { } || conventions.PoolingModes.Count == 0)
            return conventions?.Pooling ?? EmbeddingPooling.Mean;
        throw new NotSupportedException(
            $"Encoder '{modelPath}': its sentence-transformers pooling module asks for {string.Join(" + ", conventions.PoolingModes)} pooling, " +
            "which the TempScale embedding transform does not implement. Set TempScaleEmbeddingOptions.Pooling (Mean, Cls or Max) to choose one.");
    }

    /// <summary>
    /// sentence-transformers' rule: <c>max_seq_length</c> when the folder states it, else the tokenizer's
    /// <c>model_max_length</c>; either capped at the model's positions, which are the limit without both; else 512.
    /// </summary>
    private static int DefaultMaxTokens(SentenceTransformersConfig? conventions, TokenizerConfig tokenizer, int? positions)
    {
        var stated = conventions?.MaxSeqLength ?? tokenizer.ModelMaxLength;
        if (stated is { } s && s >= 3) return positions is { } p ? Math.Min(s, p) : s;
        return positions ?? 512;
    }

    /// <summary>The folder's prompt for <paramref name="kind"/>, or none.</summary>
    private static string DefaultPrefix(SentenceTransformersConfig? conventions, EmbeddingTextKind kind) =>
        (kind == EmbeddingTextKind.Query ? conventions?.QueryPrompt : conventions?.DocumentPrompt) ?? "";

    /// <summary>Fails when the vocabulary has ids the model's word-embedding table cannot look up.</summary>
    private void CheckVocabularyFitsModel(Onnx.Proto.ModelProto model, string vocabPath)
    {
        var vocabSize = CreateTokenizer(vocabPath).VocabularySize;
        var idsInput = model.Graph.Input.FirstOrDefault(i => i.Name == EncoderSignature.InputIdsName);
        if (idsInput is null) return; // the session reports the missing input with the full signature
        var rows = EncoderModelFile.WordEmbeddingRows(model, idsInput.Name);
        if (rows is { } r && vocabSize > r)
            throw new InvalidDataException(
                $"Vocabulary '{vocabPath}' has {vocabSize} tokens but the word-embedding table of encoder '{ModelName}' has only " +
                $"{r} rows: this vocabulary does not belong to this model.");
    }

    /// <summary>A tokenizer over <see cref="VocabularyText"/> with the resolved casing settings.</summary>
    /// <param name="vocabSource">Where the vocabulary came from, for error messages (default: the model's package).</param>
    public BertTextTokenizer CreateTokenizer(string? vocabSource = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(VocabularyText));
        try
        {
            return BertTextTokenizer.Create(stream, new BertTextTokenizerOptions
            {
                LowerCase = Settings.LowerCase,
                StripAccents = Settings.StripAccents,
            });
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FormatException)
        {
            throw new InvalidDataException(
                $"Vocabulary '{vocabSource ?? ModelName + " (vocab.txt)"}' is not a valid BERT WordPiece vocab.txt: {e.Message}", e);
        }
    }
}
