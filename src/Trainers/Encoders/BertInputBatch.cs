using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// A padded batch of BERT inputs built with Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>: each text becomes
/// <c>[CLS] tokens [SEP]</c> (truncated to <c>maxLength</c> ids, specials included), right-padded with the pad id to
/// the longest row; the attention mask is 1 on real tokens and token types are all 0 (single sentences).
/// Arrays are row-major [<see cref="BatchSize"/>, <see cref="Length"/>].
/// </summary>
internal sealed class BertInputBatch
{
    private BertInputBatch(long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int batchSize, int length)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = tokenTypeIds;
        BatchSize = batchSize;
        Length = length;
    }

    /// <summary>Token ids, row-major [batch, length].</summary>
    public long[] InputIds { get; }

    /// <summary>1 for real tokens, 0 for padding, row-major [batch, length].</summary>
    public long[] AttentionMask { get; }

    /// <summary>Segment ids (all 0), row-major [batch, length].</summary>
    public long[] TokenTypeIds { get; }

    /// <summary>Number of rows.</summary>
    public int BatchSize { get; }

    /// <summary>Padded length (the longest row).</summary>
    public int Length { get; }

    /// <summary>Tokenises <paramref name="texts"/>; each row keeps at most <paramref name="maxLength"/> ids (at least 2).</summary>
    public static BertInputBatch Create(BertTokenizer tokenizer, IReadOnlyList<string> texts, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new ArgumentException("A batch needs at least one text.", nameof(texts));
        if (maxLength < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "maxLength must leave room for [CLS] and [SEP].");
        var rows = new List<IReadOnlyList<int>>(texts.Count);
        for (int i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"Text {i} of the batch is null.", nameof(texts));
            rows.Add(tokenizer.EncodeToIds(text, maxLength, out _, out _));
        }
        int length = rows.Max(r => r.Count);
        var ids = new long[texts.Count * length];
        var mask = new long[ids.Length];
        Array.Fill(ids, (long)tokenizer.PaddingTokenId);
        for (int r = 0; r < rows.Count; r++)
        {
            for (int t = 0; t < rows[r].Count; t++)
            {
                ids[r * length + t] = rows[r][t];
                mask[r * length + t] = 1;
            }
        }
        return new BertInputBatch(ids, mask, new long[ids.Length], texts.Count, length);
    }

    /// <summary>The three int64 tensors (input_ids, attention_mask, token_type_ids) of shape [batch, length].</summary>
    public (Tensor InputIds, Tensor AttentionMask, Tensor TokenTypeIds) ToTensors(Device? device = null)
    {
        long[] shape = [BatchSize, Length];
        return (tensor(InputIds, shape, device: device), tensor(AttentionMask, shape, device: device),
                tensor(TokenTypeIds, shape, device: device));
    }
}
