using System.Globalization;
using System.Text;

namespace MlNetIso.Cli.Rendering;

/// <summary>Writes embeddings one row at a time, as CSV or as a small little-endian binary format.</summary>
internal abstract class EmbeddingSink : IDisposable
{
    /// <summary>Opens <paramref name="path"/> for <paramref name="format"/> (csv or bin).</summary>
    public static EmbeddingSink Create(string path, string format, int dimension) =>
        format == "bin" ? new BinarySink(path, dimension) : new CsvSink(path);

    /// <summary>Appends one embedding.</summary>
    public abstract void Write(IEnumerable<float> values);

    /// <summary>Finishes the file once all <paramref name="rows"/> are written.</summary>
    public virtual void Complete(long rows) { }

    /// <inheritdoc/>
    public abstract void Dispose();

    private sealed class CsvSink(string path) : EmbeddingSink
    {
        private readonly StreamWriter _writer = new(path, false, new UTF8Encoding(false));

        public override void Write(IEnumerable<float> values) =>
            _writer.WriteLine(string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

        public override void Dispose() => _writer.Dispose();
    }

    /// <summary>Layout: int32 row count, int32 dimension, then rows × dimension float32, all little-endian.</summary>
    private sealed class BinarySink : EmbeddingSink
    {
        private readonly FileStream _stream;
        private readonly BinaryWriter _writer;

        public BinarySink(string path, int dimension)
        {
            _stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            _writer = new BinaryWriter(_stream);
            _writer.Write(0);
            _writer.Write(dimension);
        }

        public override void Write(IEnumerable<float> values)
        {
            foreach (var v in values) _writer.Write(v);
        }

        public override void Complete(long rows)
        {
            _writer.Flush();
            _stream.Position = 0;
            _writer.Write(checked((int)rows));
            _writer.Flush();
        }

        public override void Dispose() => _writer.Dispose();
    }
}
