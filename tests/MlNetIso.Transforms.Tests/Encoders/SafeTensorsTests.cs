using System.Buffers.Binary;
using System.Text;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Transforms.Tests.Encoders;

public class SafeTensorsTests
{
    private static byte[] FileBytes(string headerJson, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    [Fact]
    public void WriteThenRead_RoundTripsValuesShapesAndMetadata()
    {
        var tensors = new Dictionary<string, NamedTensor>
        {
            ["b.weight"] = new([2, 3], [1f, -2f, 3.5f, float.MaxValue, float.Epsilon, -0f]),
            ["a.bias"] = new([3], [0.25f, 0.5f, 0.75f]),
            ["scalar"] = new([], [42f]),
        };
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "x" });
        var bytes = ms.ToArray();
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8); // data section aligned
        var (read, meta) = SafeTensors.ReadWithMetadata(new MemoryStream(bytes), "mem");
        Assert.Equal("x", meta["note"]);
        Assert.Equal(tensors.Keys.Order(), read.Keys.Order());
        foreach (var (k, v) in tensors)
        {
            Assert.Equal(v.Shape, read[k].Shape);
            Assert.Equal(v.Data, read[k].Data);
        }
    }

    [Fact]
    public void Read_ConvertsHalfBFloat16AndInt64ToFloat()
    {
        var data = new byte[2 * 2 + 2 * 2 + 8];
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(0), (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2), (Half)(-0.25f));
        // bfloat16 = upper 16 bits of float32: 3.0f = 0x40400000, -1.0f = 0xBF800000
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), 0x4040);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), 0xBF80);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), 511);
        var json = """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"bf":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"embeddings.position_ids":{"dtype":"I64","shape":[1,1],"data_offsets":[8,16]}}""";
        var read = SafeTensors.Read(new MemoryStream(FileBytes(json, data)));
        Assert.Equal([1.5f, -0.25f], read["h"].Data);
        Assert.Equal([3f, -1f], read["bf"].Data);
        Assert.Equal([511f], read["embeddings.position_ids"].Data);
        Assert.Equal([1L, 1L], read["embeddings.position_ids"].Shape);
    }

    [Theory]
    [InlineData("""{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "do not match")]
    [InlineData("""{"t":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", "unsupported dtype 'C64'")]
    [InlineData("""{"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "truncated")]
    [InlineData("""{"t":[1,2]}""", "not an object")]
    [InlineData("""not json""", "not valid JSON")]
    public void Read_RejectsMalformedFilesNamingTheProblem(string header, string expected)
    {
        var bytes = FileBytes(header, new byte[8]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(new MemoryStream(bytes), "bad.safetensors"));
        Assert.Contains("bad.safetensors", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "nope.safetensors");
        Assert.Contains("nope.safetensors", Assert.Throws<FileNotFoundException>(() => SafeTensors.Read(path)).Message);
    }

    [Fact]
    public void Write_RejectsDataThatDoesNotFitTheShape()
    {
        var bad = new Dictionary<string, NamedTensor> { ["w"] = new([2, 2], [1f, 2f, 3f]) };
        Assert.Contains("'w'", Assert.Throws<ArgumentException>(() => SafeTensors.Write(new MemoryStream(), bad)).Message);
    }
}
