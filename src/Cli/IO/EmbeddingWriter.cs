using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace MlNetIso.Cli.IO;

/// <summary>
/// Appends embeddings, one row at a time, to a file in an <see cref="EmbeddingFormat"/>, and can continue a file an
/// interrupted run left behind: <see cref="Resume"/> checks its header, drops an incomplete last row and reports how
/// many complete rows it holds. <see cref="Flush"/> brings the file to a consistent state on disk (the .npy row count
/// in the header included), which is what an interruption keeps.
/// </summary>
internal abstract class EmbeddingWriter : IDisposable
{
    private protected EmbeddingWriter(FileStream stream, int dimension, long rows)
    {
        Stream = stream;
        Dimension = dimension;
        Rows = rows;
    }

    private protected FileStream Stream { get; }

    /// <summary>Width of every row.</summary>
    public int Dimension { get; }

    /// <summary>Complete rows in the file, including those of an earlier run that was resumed.</summary>
    public long Rows { get; private protected set; }

    /// <summary>Starts a new file in <paramref name="stream"/> (which must be empty) and writes its header.</summary>
    public static EmbeddingWriter Create(EmbeddingFormat format, FileStream stream, int dimension, bool withId) => format switch
    {
        EmbeddingFormat.Npy => NpyWriter.Create(stream, dimension),
        _ => CsvWriter.Create(stream, dimension, withId),
    };

    /// <summary>
    /// Continues the file in <paramref name="stream"/>: checks that it was written for <paramref name="dimension"/>
    /// (and an id column when <paramref name="withId"/>), truncates an incomplete last row and positions at the end.
    /// </summary>
    /// <exception cref="CliInputException">The file does not match (another format, width or id setting), naming it.</exception>
    public static EmbeddingWriter Resume(EmbeddingFormat format, FileStream stream, int dimension, bool withId, string source) => format switch
    {
        EmbeddingFormat.Npy => NpyWriter.Resume(stream, dimension, source),
        _ => CsvWriter.Resume(stream, dimension, withId, source),
    };

    /// <summary>Appends one embedding (and its id, for CSV files with an id column).</summary>
    public abstract void Write(string? id, ReadOnlySpan<float> values);

    /// <summary>Writes everything buffered and the header's row count, and flushes the file to disk.</summary>
    public abstract void Flush();

    public virtual void Dispose() => Stream.Dispose();

    private sealed class CsvWriter : EmbeddingWriter
    {
        private static readonly UTF8Encoding Utf8 = new(false);
        private readonly StreamWriter _writer;
        private readonly bool _withId;
        private readonly StringBuilder _line = new();

        private CsvWriter(FileStream stream, int dimension, bool withId, long rows) : base(stream, dimension, rows)
        {
            _withId = withId;
            _writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
        }

        public static string Header(int dimension, bool withId) =>
            string.Join(',', (withId ? ["id"] : Array.Empty<string>()).Concat(Enumerable.Range(0, dimension).Select(i => "e" + i.ToString(CultureInfo.InvariantCulture))));

        public static CsvWriter Create(FileStream stream, int dimension, bool withId)
        {
            var writer = new CsvWriter(stream, dimension, withId, 0);
            writer._writer.WriteLine(Header(dimension, withId));
            return writer;
        }

        public static CsvWriter Resume(FileStream stream, int dimension, bool withId, string source)
        {
            var expected = Header(dimension, withId);
            stream.Position = 0;
            var headerBytes = Utf8.GetBytes(expected + "\n");
            var found = new byte[headerBytes.Length];
            var read = stream.ReadAtLeast(found, found.Length, throwOnEndOfStream: false);
            if (read < found.Length || !found.AsSpan().SequenceEqual(headerBytes))
                throw new CliInputException(
                    $"'{source}' was not written by this command: its header is not '{Shorten(expected)}' " +
                    $"(d = {dimension}{(withId ? ", with an id column" : "")}). Delete it to start over.");
            // Count records (newlines outside quotes) after the header; cut after the last complete one.
            long rows = 0, end = stream.Position;
            var inQuotes = false;
            var buffer = new byte[1 << 16];
            var position = stream.Position;
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    if (buffer[i] == (byte)'"') inQuotes = !inQuotes;
                    else if (buffer[i] == (byte)'\n' && !inQuotes)
                    {
                        rows++;
                        end = position + i + 1;
                    }
                }
                position += n;
            }
            stream.SetLength(end);
            stream.Position = end;
            return new CsvWriter(stream, dimension, withId, rows);
        }

        public override void Write(string? id, ReadOnlySpan<float> values)
        {
            _line.Clear();
            if (_withId) _line.Append(Quote(id ?? "")).Append(',');
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0) _line.Append(',');
                _line.Append(values[i].ToString(CultureInfo.InvariantCulture));
            }
            _writer.WriteLine(_line);
            Rows++;
        }

        public override void Flush()
        {
            _writer.Flush();
            Stream.Flush(flushToDisk: true);
        }

        public override void Dispose()
        {
            _writer.Dispose();
            base.Dispose();
        }

        private static string Quote(string field) =>
            field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        private static string Shorten(string header) => header.Length <= 40 ? header : header[..30] + "…" + header[^8..];
    }

    private sealed class NpyWriter : EmbeddingWriter
    {
        private readonly BufferedStream _buffer;

        private NpyWriter(FileStream stream, int dimension, long rows) : base(stream, dimension, rows) =>
            _buffer = new BufferedStream(stream, 1 << 16);

        public static NpyWriter Create(FileStream stream, int dimension)
        {
            stream.Write(NpyHeader.Float32Matrix(0, dimension));
            return new NpyWriter(stream, dimension, 0);
        }

        public static NpyWriter Resume(FileStream stream, int dimension, string source)
        {
            stream.Position = 0;
            var header = NpyHeader.Read(stream, source);
            if (header.Size != NpyHeader.FixedSize || header.Descr != "<f4" || header.FortranOrder || header.Shape.Length != 2 || header.Shape[1] != dimension)
                throw new CliInputException(
                    $"'{source}' was not written by this command for d = {dimension} (its header says {header.Descr}, shape " +
                    $"({string.Join(", ", header.Shape)})). Delete it to start over.");
            var rowBytes = 4L * dimension;
            var rows = (stream.Length - NpyHeader.FixedSize) / rowBytes;
            var end = NpyHeader.FixedSize + rows * rowBytes;
            stream.SetLength(end);
            stream.Position = end;
            var writer = new NpyWriter(stream, dimension, rows);
            writer.Flush(); // the header now states the rows actually present
            return writer;
        }

        public override void Write(string? id, ReadOnlySpan<float> values)
        {
            if (BitConverter.IsLittleEndian) _buffer.Write(MemoryMarshal.AsBytes(values));
            else
            {
                Span<byte> four = stackalloc byte[4];
                foreach (var v in values)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(four, v);
                    _buffer.Write(four);
                }
            }
            Rows++;
        }

        public override void Flush()
        {
            _buffer.Flush();
            var end = Stream.Position;
            Stream.Position = 0;
            Stream.Write(NpyHeader.Float32Matrix(Rows, Dimension));
            Stream.Position = end;
            Stream.Flush(flushToDisk: true);
        }

        public override void Dispose()
        {
            _buffer.Dispose();
            base.Dispose();
        }
    }
}
