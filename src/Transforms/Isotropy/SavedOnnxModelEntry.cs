using System.Buffers.Binary;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Reads the ONNX bytes that ML.NET's <c>OnnxTransformer</c> writes into a saved model zip: an entry named
/// <see cref="EntryName"/> holding a length-prefixed byte array (a little-endian Int32 count, then the bytes).
/// </summary>
internal static class SavedOnnxModelEntry
{
    /// <summary>The zip entry name OnnxTransformer uses for the model bytes.</summary>
    public const string EntryName = "OnnxModel";

    /// <summary>The ONNX bytes of one entry, or null when the entry does not have the expected layout.</summary>
    public static byte[]? ReadModelBytes(Stream entry)
    {
        using var buffer = new MemoryStream();
        entry.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.Length < sizeof(int))
            return null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (count < 0 || count != bytes.Length - sizeof(int))
            return null;
        return bytes[sizeof(int)..].ToArray();
    }
}
