using System.Buffers.Binary;
using System.Globalization;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.IO;
using MlNetIso.Transforms.IO;

namespace MlNetIso.Cli.Inputs;

/// <summary>
/// A file of vectors for <c>report --vectors</c>: a NumPy <c>.npy</c> matrix (float32 or float64, as <c>embed</c>
/// writes), a numeric <c>.csv</c> (an optional header row; a column named by <c>--id-column</c>, default <c>id</c>, is
/// skipped — <c>embed</c>'s CSV), or a word2vec/GloVe text file (any other extension). CSV and .npy files are read
/// lazily, a row at a time, each time the rows are enumerated.
/// </summary>
internal sealed class VectorFile
{
    private readonly Func<long, IEnumerable<float[]>> _read;

    private VectorFile(string displayName, int dimension, long rows, Func<long, IEnumerable<float[]>> read)
    {
        DisplayName = displayName;
        Dimension = dimension;
        Rows = rows;
        _read = read;
    }

    /// <summary>The file as messages name it.</summary>
    public string DisplayName { get; }

    /// <summary>Vector length d.</summary>
    public int Dimension { get; }

    /// <summary>Number of vectors in the file.</summary>
    public long Rows { get; }

    /// <summary>The vectors, at most <paramref name="limit"/> of them when it is positive.</summary>
    public IEnumerable<float[]> Read(long limit = 0) => _read(limit);

    /// <summary>Opens <paramref name="path"/> and reads its shape (the whole file for word2vec/GloVe text).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="CliInputException">Empty, malformed, ragged or non-finite content; the message names the file and line.</exception>
    public static VectorFile Open(string path, string idColumn)
    {
        var display = DisplayPath.Of(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Vector file '{display}' does not exist.", path);
        var file = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".npy" => OpenNpy(path, display),
            ".csv" => OpenCsv(path, display, idColumn),
            _ => OpenWordVectors(path, display),
        };
        if (file.Rows == 0) throw new CliInputException($"Vector file '{display}' holds no vectors.");
        return file;
    }

    private static VectorFile OpenNpy(string path, string display)
    {
        NpyHeader header;
        long length;
        using (var stream = File.OpenRead(path))
        {
            header = NpyHeader.Read(stream, display);
            length = stream.Length;
        }
        var size = header.Descr switch
        {
            "<f4" => 4,
            "<f8" => 8,
            _ => throw new CliInputException($"'{display}' holds '{header.Descr}' values; little-endian float32 ('<f4') or float64 ('<f8') are needed."),
        };
        if (header.Shape.Length != 2 || header.FortranOrder)
            throw new CliInputException(
                $"'{display}' has shape ({string.Join(", ", header.Shape)}){(header.FortranOrder ? " in Fortran order" : "")}; a C-order rows × d matrix is needed.");
        var (rows, dimension) = (header.Shape[0], header.Shape[1]);
        if (dimension < 1 || dimension > 1 << 20) throw new CliInputException($"'{display}' has {dimension} columns.");
        var available = (length - header.Size) / (size * dimension);
        if (available < rows)
            throw new CliInputException($"'{display}' is truncated: its header says {rows:N0} rows but the file holds {available:N0}.");
        return new VectorFile(display, (int)dimension, rows, limit => ReadNpy(path, header.Size, size, (int)dimension, limit > 0 ? Math.Min(rows, limit) : rows, display));
    }

    private static IEnumerable<float[]> ReadNpy(string path, int offset, int size, int dimension, long rows, string display)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        stream.Position = offset;
        var buffer = new byte[size * dimension];
        for (long r = 0; r < rows; r++)
        {
            stream.ReadExactly(buffer);
            var v = new float[dimension];
            for (var i = 0; i < dimension; i++)
            {
                v[i] = size == 4
                    ? BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(4 * i))
                    : (float)BinaryPrimitives.ReadDoubleLittleEndian(buffer.AsSpan(8 * i));
                if (!float.IsFinite(v[i])) throw new CliInputException($"Row {r + 1:N0} of '{display}' holds NaN or infinity (column {i}).");
            }
            yield return v;
        }
    }

    private static VectorFile OpenCsv(string path, string display, string idColumn)
    {
        // First pass: header, width, row count, and every value checked, so errors surface before any work.
        var skip = -1;
        var hasHeader = false;
        var dimension = -1;
        long rows = 0;
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var fields = text.Split(',');
            if (line == 1 && fields.Any(f => !float.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                hasHeader = true;
                skip = Array.FindIndex(fields, f => string.Equals(f.Trim(), idColumn, StringComparison.OrdinalIgnoreCase));
                dimension = fields.Length - (skip >= 0 ? 1 : 0);
                continue;
            }
            var values = ParseCsvRow(fields, skip, display, line);
            if (dimension < 0) dimension = values.Length;
            else if (values.Length != dimension)
                throw new CliInputException($"Line {line} of '{display}' has {values.Length} values; {(hasHeader && rows == 0 ? "the header names" : "earlier rows have")} {dimension}.");
            rows++;
        }
        return new VectorFile(display, Math.Max(dimension, 0), rows, limit => ReadCsv(path, hasHeader, skip, display, limit));
    }

    private static IEnumerable<float[]> ReadCsv(string path, bool hasHeader, int skip, string display, long limit)
    {
        var line = 0;
        long n = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if ((line == 1 && hasHeader) || string.IsNullOrWhiteSpace(text)) continue;
            if (limit > 0 && n >= limit) yield break;
            n++;
            yield return ParseCsvRow(text.Split(','), skip, display, line);
        }
    }

    private static float[] ParseCsvRow(string[] fields, int skip, string display, int line)
    {
        var values = new float[fields.Length - (skip >= 0 && skip < fields.Length ? 1 : 0)];
        var k = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            if (i == skip) continue;
            if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                throw new CliInputException($"Line {line} of '{display}': '{fields[i]}' is not a number (column {i + 1}).");
            if (!float.IsFinite(v)) throw new CliInputException($"Line {line} of '{display}' holds NaN or infinity (column {i + 1}).");
            values[k++] = v;
        }
        return values;
    }

    private static VectorFile OpenWordVectors(string path, string display)
    {
        // A malformed file throws FormatException naming the file and line; CliApp.Classify makes it exit code 2.
        var words = VectorTextFile.Read(path);
        foreach (var (v, i) in words.Vectors.Select((v, i) => (v, i)))
            if (v.Any(x => !float.IsFinite(x))) throw new CliInputException($"Vector {i + 1} ('{words.Words[i]}') of '{display}' holds NaN or infinity.");
        return new VectorFile(display, words.Dimension, words.Vectors.Count, limit => limit > 0 ? words.Vectors.Take((int)Math.Min(limit, int.MaxValue)) : words.Vectors);
    }
}
