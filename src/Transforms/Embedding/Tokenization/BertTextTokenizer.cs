using Microsoft.ML.Tokenizers;

namespace MlNetIso.Transforms.Embedding.Tokenization;

/// <summary>
/// BERT WordPiece tokenisation that yields the same ids as Hugging Face's python <c>BertTokenizer</c>
/// (transformers ≥ 4.31: <c>BasicTokenizer</c> + <c>WordpieceTokenizer</c>, with truncation keeping the first
/// <c>max_length − 2</c> sub-words), for cased and uncased vocabularies.
/// </summary>
/// <remarks>
/// <para>Pipeline: literal special tokens in the text ("[SEP]", …) are split off first, as HF does; the rest goes
/// through an HF-faithful basic tokenisation (<see cref="HfBasicTokenizer"/>: lower-casing per code point, control
/// and format character removal, CJK isolation, NFC, whitespace split, accent stripping, punctuation split); each
/// resulting word is then split by Microsoft.ML.Tokenizers' <see cref="WordPieceTokenizer"/> (greedy
/// longest-match-first with the "##" continuation prefix, an unsplittable word becoming [UNK]).</para>
/// <para>Why not Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> directly: in version 2.0.1 its basic
/// tokenisation drops symbols and every code point outside the BMP, glues words across \t \n \r, splits at
/// format characters, matches special tokens case-insensitively and does not decompose Hangul when stripping accents
/// (the full list is in <c>Tokenization/README.md</c> and is pinned by the tests); and its
/// <c>MaxInputCharsPerWord</c> counts UTF-16 units whereas HF counts code points, so the word-length rule is applied
/// here, in code points, before WordPiece.</para>
/// <para>Instances are immutable and safe to use from several threads at once.</para>
/// </remarks>
public sealed class BertTextTokenizer
{
    private readonly WordPieceTokenizer _wordPiece;
    private readonly HfBasicTokenizer _basic;
    private readonly SpecialTokenSplitter _specials;
    private readonly int _maxCharsPerWord;

    private BertTextTokenizer(BertVocabulary vocab, BertTextTokenizerOptions options, string source)
    {
        if (options.MaxInputCharsPerWord < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxInputCharsPerWord,
                "BertTextTokenizerOptions.MaxInputCharsPerWord must be at least 1.");
        Options = options;
        VocabularySize = vocab.Size;
        ClsId = vocab.Ids["[CLS]"];
        SepId = vocab.Ids["[SEP]"];
        PadId = vocab.Ids["[PAD]"];
        UnkId = vocab.Ids["[UNK]"];
        MaskId = vocab.Ids.TryGetValue("[MASK]", out int mask) ? mask : null;
        _maxCharsPerWord = options.MaxInputCharsPerWord;
        _basic = new HfBasicTokenizer(options.LowerCase, options.EffectiveStripAccents, options.TokenizeChineseChars);
        _specials = new SpecialTokenSplitter(
        [
            ("[CLS]", ClsId), ("[SEP]", SepId), ("[PAD]", PadId), ("[UNK]", UnkId), ("[MASK]", MaskId ?? UnkId),
        ]);
        try
        {
            using var stream = new MemoryStream(vocab.WordPieceVocab, writable: false);
            _wordPiece = WordPieceTokenizer.Create(stream, new WordPieceOptions
            {
                UnknownToken = "[UNK]",
                ContinuingSubwordPrefix = "##",
                // The code-point limit is enforced here; a word within it has at most twice as many UTF-16 units.
                MaxInputCharsPerWord = _maxCharsPerWord > int.MaxValue / 2 ? int.MaxValue : 2 * _maxCharsPerWord,
            });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"BERT vocabulary {source} was rejected by Microsoft.ML.Tokenizers: {e.Message}", e);
        }
    }

    /// <summary>The options in effect.</summary>
    public BertTextTokenizerOptions Options { get; }

    /// <summary>Number of entries (lines) of the vocabulary; every id is in [0, VocabularySize).</summary>
    public int VocabularySize { get; }

    /// <summary>Id of [CLS], the first id of every encoded sequence.</summary>
    public int ClsId { get; }

    /// <summary>Id of [SEP], the last id of every encoded sequence.</summary>
    public int SepId { get; }

    /// <summary>Id of [PAD], for padding batches (never produced by <see cref="Encode"/> itself).</summary>
    public int PadId { get; }

    /// <summary>Id of [UNK], produced for words that WordPiece cannot split or that are too long.</summary>
    public int UnkId { get; }

    /// <summary>Id of [MASK], or null when the vocabulary has none (a literal "[MASK]" in the text then maps to [UNK], as in HF).</summary>
    public int? MaskId { get; }

    /// <summary>Creates a tokenizer from a BERT <c>vocab.txt</c> file (one token per line; id = line index).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not UTF-8, or lacks [CLS], [SEP], [PAD] or [UNK].</exception>
    public static BertTextTokenizer Create(string vocabPath, BertTextTokenizerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabPath);
        if (!File.Exists(vocabPath))
            throw new FileNotFoundException($"BERT vocabulary file '{vocabPath}' was not found.", vocabPath);
        string source = $"file '{vocabPath}'";
        using var stream = File.OpenRead(vocabPath);
        return new BertTextTokenizer(BertVocabulary.Read(stream, source), options ?? new BertTextTokenizerOptions(), source);
    }

    /// <summary>Creates a tokenizer from a stream holding a BERT <c>vocab.txt</c> (read to its end, not closed).</summary>
    /// <exception cref="InvalidDataException">The vocabulary is empty, not UTF-8, or lacks [CLS], [SEP], [PAD] or [UNK].</exception>
    public static BertTextTokenizer Create(Stream vocab, BertTextTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        const string source = "stream";
        return new BertTextTokenizer(BertVocabulary.Read(vocab, source), options ?? new BertTextTokenizerOptions(), source);
    }

    /// <summary>
    /// Encodes <paramref name="text"/> as <c>[CLS] w₁ … wₖ [SEP]</c>, keeping the first <c>k = min(n, maxTokens − 2)</c>
    /// of its n sub-word ids (truncation at sub-word level, as HF's <c>truncation=True, max_length=maxTokens</c>).
    /// Null, empty or all-removed text gives <c>[CLS] [SEP]</c>.
    /// </summary>
    /// <param name="text">The text; may be null.</param>
    /// <param name="maxTokens">Maximum length of the result, [CLS] and [SEP] included; at least 2.</param>
    public int[] Encode(string? text, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        var ids = new List<int>(Math.Min(maxTokens, 1024)) { ClsId };
        AppendSubwordIds(text, ids, maxTokens - 1);
        if (ids.Count > maxTokens - 1) ids.RemoveRange(maxTokens - 1, ids.Count - (maxTokens - 1));
        ids.Add(SepId);
        return [.. ids];
    }

    /// <summary>
    /// Splits the full sub-word sequence of <paramref name="text"/> into overlapping windows for long-text chunking,
    /// each wrapped as <c>[CLS] … [SEP]</c>.
    /// </summary>
    /// <remarks>
    /// Window rule: with n sub-words, content size <c>W = maxTokens − 2</c> and stride <c>S = W − overlapTokens</c>,
    /// window j holds sub-words <c>[j·S, min(j·S + W, n))</c>; windows are produced until one reaches n. Every window
    /// but the last holds exactly W sub-words, consecutive windows share exactly <paramref name="overlapTokens"/>
    /// sub-words, so the first window followed by each later window minus its first <paramref name="overlapTokens"/>
    /// sub-words is the full sequence. A text with no sub-words gives one window <c>[CLS] [SEP]</c>. Windows cut
    /// between sub-words, not at word boundaries.
    /// </remarks>
    /// <param name="text">The text; may be null.</param>
    /// <param name="maxTokens">Length limit of each window, [CLS] and [SEP] included; at least 3.</param>
    /// <param name="overlapTokens">Sub-words shared by consecutive windows; in [0, maxTokens − 2).</param>
    public IReadOnlyList<int[]> EncodeWindows(string? text, int maxTokens, int overlapTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        int width = maxTokens - 2;
        ArgumentOutOfRangeException.ThrowIfNegative(overlapTokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlapTokens, width);
        var ids = new List<int>();
        AppendSubwordIds(text, ids, int.MaxValue);
        int stride = width - overlapTokens;
        var windows = new List<int[]>(ids.Count / stride + 1);
        for (int start = 0; ; start += stride)
        {
            int end = Math.Min(start + width, ids.Count);
            var window = new int[end - start + 2];
            window[0] = ClsId;
            ids.CopyTo(start, window, 1, end - start);
            window[^1] = SepId;
            windows.Add(window);
            if (end == ids.Count) break;
        }
        return windows;
    }

    /// <summary>Number of sub-word ids of <paramref name="text"/>, excluding [CLS] and [SEP] (0 for null or empty text).</summary>
    public int CountTokens(string? text)
    {
        var ids = new List<int>();
        AppendSubwordIds(text, ids, int.MaxValue);
        return ids.Count;
    }

    /// <summary>Appends the sub-word ids of <paramref name="text"/> until at least <paramref name="limit"/> ids are in <paramref name="ids"/>.</summary>
    internal void AppendSubwordIds(string? text, List<int> ids, int limit)
    {
        if (string.IsNullOrEmpty(text) || ids.Count >= limit) return;
        foreach (var piece in _specials.Split(text))
        {
            if (piece.SpecialId is { } special)
            {
                ids.Add(special);
            }
            else
            {
                foreach (string word in _basic.Words(text, piece.Start, piece.Length))
                {
                    AppendWordPiece(word, ids);
                    if (ids.Count >= limit) return;
                }
            }
            if (ids.Count >= limit) return;
        }
    }

    private void AppendWordPiece(string word, List<int> ids)
    {
        if (word.Length > _maxCharsPerWord && CodePointCount(word) > _maxCharsPerWord)
        {
            ids.Add(UnkId);
            return;
        }
        ids.AddRange(_wordPiece.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
    }

    private static int CodePointCount(string s)
    {
        int count = 0;
        foreach (var _ in s.EnumerateRunes()) count++;
        return count;
    }
}
