using System.Text;

namespace MlNetIso.Transforms.Embedding.Tokenization;

/// <summary>
/// A BERT <c>vocab.txt</c> read the way HF's <c>load_vocab</c> reads it (one token per line, id = line index,
/// \n, \r\n and \r all end a line, nothing but the line break is trimmed, a later duplicate wins), validated, and
/// re-serialised for Microsoft.ML.Tokenizers' <see cref="Microsoft.ML.Tokenizers.WordPieceTokenizer"/>.
/// </summary>
internal sealed class BertVocabulary
{
    /// <summary>The special tokens every BERT vocabulary must hold.</summary>
    public static readonly string[] RequiredSpecials = ["[CLS]", "[SEP]", "[PAD]", "[UNK]"];

    private BertVocabulary(int size, Dictionary<string, int> ids, byte[] wordPieceVocab)
    {
        Size = size;
        Ids = ids;
        WordPieceVocab = wordPieceVocab;
    }

    /// <summary>Number of lines, i.e. of ids.</summary>
    public int Size { get; }

    /// <summary>Token → id (last line wins for duplicates, as in HF).</summary>
    public IReadOnlyDictionary<string, int> Ids { get; }

    /// <summary>
    /// The vocabulary as UTF-8 lines for <see cref="Microsoft.ML.Tokenizers.WordPieceTokenizer"/>, which rejects
    /// duplicate lines: an earlier duplicate is replaced by a placeholder that contains U+0000 (basic tokenisation
    /// removes U+0000, so no word can ever match it) so that every line keeps its id.
    /// </summary>
    public byte[] WordPieceVocab { get; }

    /// <summary>Reads and validates a vocabulary; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">Empty, or a required special token is missing.</exception>
    public static BertVocabulary Read(Stream stream, string source)
    {
        var lines = new List<string>();
        using (var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            try
            {
                while (reader.ReadLine() is { } line) lines.Add(line);
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException($"BERT vocabulary {source} is not valid UTF-8: {e.Message}", e);
            }
        }
        if (lines.Count == 0)
            throw new InvalidDataException($"BERT vocabulary {source} is empty: expected one token per line.");

        var ids = new Dictionary<string, int>(lines.Count, StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++) ids[lines[i]] = i;

        var missing = RequiredSpecials.Where(s => !ids.ContainsKey(s)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException(
                $"BERT vocabulary {source} lacks the special token(s) {string.Join(", ", missing)} " +
                $"({lines.Count} lines read); [CLS], [SEP], [PAD] and [UNK] must each be on a line of their own.");

        var sb = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            // A line whose token appears again later loses to the later line (HF dict semantics).
            sb.Append(ids[lines[i]] == i ? lines[i] : $"\u0000duplicate-line-{i}").Append('\n');
        }
        return new BertVocabulary(lines.Count, ids, new UTF8Encoding(false).GetBytes(sb.ToString()));
    }
}
