using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Extensions.AI;

/// <summary>
/// Runs an <see cref="EmbedBlock"/> and counts the tokens the encoder saw for each text (every window in chunk mode,
/// [CLS] and [SEP] included), from the workspace's length-sorted sequences.
/// </summary>
internal sealed class BlockEmbedder(int dimension, EmbedBlock embed)
{
    /// <summary>Width d of every embedding.</summary>
    public int Dimension { get; } = dimension;

    /// <summary>
    /// Embeds <paramref name="texts"/> into <paramref name="output"/> (texts × d) and writes each text's token count to
    /// <paramref name="tokens"/>.
    /// </summary>
    public void Embed(IReadOnlyList<string?> texts, Span<float> output, Span<int> tokens, EmbedderWorkspace workspace)
    {
        embed(texts, output, workspace);
        tokens[..texts.Count].Clear();
        var owners = workspace.SortedOwners;
        var lengths = workspace.SortedLengths;
        for (var k = 0; k < owners.Length; k++) tokens[owners[k]] += lengths[k];
    }
}
