using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MlNetIso.Cli.IO;

/// <summary>
/// The header of a NumPy <c>.npy</c> file (format 1.0/2.0/3.0): magic <c>\x93NUMPY</c>, version, header length, then
/// a Python dict literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>. <c>embed</c> writes 2-D little-endian
/// float32 arrays with a fixed 128-byte header, so the row count can be rewritten in place as rows are appended;
/// <c>numpy.load</c> reads the file directly.
/// </summary>
internal sealed partial record NpyHeader(string Descr, bool FortranOrder, long[] Shape, int Size)
{
    /// <summary>Size of the header <c>embed</c> writes (a multiple of 64, as the format recommends).</summary>
    public const int FixedSize = 128;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The 128-byte header of a C-order little-endian float32 array of shape (rows, columns).</summary>
    public static byte[] Float32Matrix(long rows, int columns)
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows.ToString(CultureInfo.InvariantCulture)}, {columns.ToString(CultureInfo.InvariantCulture)}), }}";
        var header = new byte[FixedSize];
        Magic.CopyTo(header, 0);
        header[6] = 1; // version 1.0
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), FixedSize - 10);
        var text = Encoding.ASCII.GetBytes(dict);
        if (10 + text.Length + 1 > FixedSize) throw new ArgumentOutOfRangeException(nameof(rows), "Shape too large for the fixed header.");
        text.CopyTo(header, 10);
        header.AsSpan(10 + text.Length, FixedSize - 10 - text.Length - 1).Fill((byte)' ');
        header[^1] = (byte)'\n';
        return header;
    }

    /// <summary>Reads the header at the start of <paramref name="stream"/> (left positioned after it).</summary>
    /// <exception cref="CliInputException">Not an .npy file, or a header this reader does not understand.</exception>
    public static NpyHeader Read(Stream stream, string source)
    {
        Span<byte> prefix = stackalloc byte[12];
        if (ReadFully(stream, prefix[..10]) < 10 || !prefix[..6].SequenceEqual(Magic))
            throw new CliInputException($"'{source}' is not a NumPy .npy file (no \\x93NUMPY magic).");
        int length, size;
        if (prefix[6] == 1)
        {
            length = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
            size = 10 + length;
        }
        else if (prefix[6] is 2 or 3)
        {
            if (ReadFully(stream, prefix[10..12]) < 2) throw new CliInputException($"'{source}': the .npy header is truncated.");
            var long32 = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..12]);
            if (long32 > 1 << 20) throw new CliInputException($"'{source}': the .npy header claims {long32} bytes.");
            length = (int)long32;
            size = 12 + length;
        }
        else throw new CliInputException($"'{source}': .npy format version {prefix[6]}.{prefix[7]} is not supported (1.0–3.0 are).");
        var text = new byte[length];
        if (ReadFully(stream, text) < length) throw new CliInputException($"'{source}': the .npy header is truncated.");
        var dict = Encoding.UTF8.GetString(text);
        var descr = DescrPattern().Match(dict);
        var fortran = FortranPattern().Match(dict);
        var shape = ShapePattern().Match(dict);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new CliInputException($"'{source}': the .npy header '{dict.Trim()}' lacks descr, fortran_order or shape.");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new CliInputException($"'{source}': the .npy shape '({shape.Groups[1].Value})' is not a tuple of integers."))
            .ToArray();
        return new NpyHeader(descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims, size);
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
