using System.Text;
using MlNetIso.Cli.IO;

namespace MlNetIso.Cli.Tests.IO;

public class NpyHeaderTests
{
    [Fact]
    public void Float32MatrixHeader_IsTheNumpyFormat()
    {
        var header = NpyHeader.Float32Matrix(5331, 384);
        Assert.Equal(NpyHeader.FixedSize, header.Length);
        Assert.Equal(0, header.Length % 64); // the format's alignment
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, header[..8]);
        Assert.Equal(NpyHeader.FixedSize - 10, BitConverter.ToUInt16(header, 8));
        var dict = Encoding.ASCII.GetString(header, 10, header.Length - 10);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5331, 384), }", dict);
        Assert.EndsWith("\n", dict);
        var parsed = NpyHeader.Read(new MemoryStream(header), "h");
        Assert.Equal(("<f4", false, 128), (parsed.Descr, parsed.FortranOrder, parsed.Size));
        Assert.Equal([5331L, 384L], parsed.Shape);
    }

    [Theory]
    [InlineData("not numpy at all")]
    [InlineData("\u0093NUMPY\u0001\u0000\u0005\u0000{}   ")]
    public void BadHeaders_AreInputErrors(string content)
    {
        var e = Assert.Throws<CliInputException>(() => NpyHeader.Read(new MemoryStream(Encoding.Latin1.GetBytes(content)), "bad.npy"));
        Assert.Contains("bad.npy", e.Message);
    }
}
