using System.Security.Cryptography;
using System.Text;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// A named, ordered list of texts that a study embeds as one unit. <see cref="Sha256"/> identifies the exact texts
/// (each text's UTF-8 length, then its bytes), so the embedding cache never serves vectors of other texts.
/// </summary>
/// <param name="Name">Short name used in cache paths and reports (letters, digits, '-').</param>
/// <param name="Texts">The texts, in the order the embeddings are returned.</param>
internal sealed record TextSet(string Name, IReadOnlyList<string> Texts)
{
    private string? _sha256;

    /// <summary>Lower-case hex SHA-256 of the texts (length-prefixed UTF-8), computed once.</summary>
    public string Sha256 => _sha256 ??= Hash(Texts);

    /// <summary>Number of texts.</summary>
    public int Count => Texts.Count;

    private static string Hash(IReadOnlyList<string> texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            BitConverter.TryWriteBytes(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
