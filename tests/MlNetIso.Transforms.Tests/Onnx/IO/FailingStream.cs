namespace MlNetIso.Transforms.Tests.Onnx.IO;

/// <summary>
/// A write-only pass-through stream that accepts <c>capacity</c> bytes and then throws the <see cref="IOException"/> a
/// full disk gives ("No space left on device"), for testing that a failed write leaves the old file intact.
/// </summary>
internal sealed class FailingStream(Stream inner, long capacity) : Stream
{
    public const string Message = "No space left on device (simulated disk full)";

    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => true;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var room = (int)Math.Max(0, Math.Min(buffer.Length, capacity - _written));
        inner.Write(buffer[..room]);
        _written += room;
        if (room < buffer.Length) throw new IOException(Message);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => inner.SetLength(value);

    /// <summary>The inner stream belongs to the caller (AtomicFile disposes its file itself).</summary>
    protected override void Dispose(bool disposing)
    {
    }
}
