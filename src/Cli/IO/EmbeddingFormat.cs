namespace MlNetIso.Cli.IO;

/// <summary>The file formats <c>embed</c> writes and <c>report --vectors</c> reads.</summary>
internal enum EmbeddingFormat
{
    /// <summary>CSV with a header row (<c>[id,]e0,…,e{d−1}</c>), one embedding per row, shortest round-trip decimals.</summary>
    Csv,

    /// <summary>A NumPy <c>.npy</c> array (rows × d, little-endian float32), readable with <c>numpy.load</c>.</summary>
    Npy,
}
