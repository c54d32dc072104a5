using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Proto;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Transforms.Tests.Onnx;

public class OnnxToolkitTests
{
    [Fact]
    public void Tensor_RoundTripsThroughRawAndTypedFields()
    {
        float[] floats = [1.5f, -2f, 3.25f, float.MinValue, 0f, 1e-30f];
        long[] longs = [1, -2, long.MaxValue, 0];
        Assert.Equal(floats, OnnxTensors.ToFloats(OnnxTensors.FromFloats("f", floats, 2, 3)));
        Assert.Equal(longs, OnnxTensors.ToLongs(OnnxTensors.FromLongs("l", longs, 4)));

        var typedFloat = new TensorProto { Name = "tf", DataType = (int)DataType.Float, Dims = { 6 }, FloatData = { floats } };
        var typedLong = new TensorProto { Name = "tl", DataType = (int)DataType.Int64, Dims = { 4 }, Int64Data = { longs } };
        var typedInt = new TensorProto { Name = "ti", DataType = (int)DataType.Int32, Dims = { 2 }, Int32Data = { 7, -8 } };
        Assert.Equal(floats, OnnxTensors.ToFloats(typedFloat));
        Assert.Equal(longs, OnnxTensors.ToLongs(typedLong));
        Assert.Equal([7L, -8L], OnnxTensors.ToLongs(typedInt));

        var reparsed = TensorProto.Parser.ParseFrom(OnnxTensors.FromFloats("f", floats, 6).ToByteArray());
        Assert.Equal(floats, OnnxTensors.ToFloats(reparsed));
        Assert.Throws<ArgumentException>(() => OnnxTensors.FromFloats("bad", floats, 4));
    }

    [Theory]
    [InlineData((int)DataType.Float, 0.125)]
    [InlineData((int)DataType.Double, 0.125)]
    [InlineData((int)DataType.Float16, 0.125)]
    [InlineData((int)DataType.Bfloat16, 0.125)]
    [InlineData((int)DataType.Float16, -10000)]
    public void ScalarsOfEachFloatType_ReadBack(int dataType, double value) // the generated DataType enum is internal
    {
        var t = OnnxTensors.ScalarOfType("s", value, dataType);
        Assert.Empty(t.Dims);
        Assert.Equal((float)value, OnnxTensors.ToFloats(t)[0]);
        Assert.Throws<NotSupportedException>(() => OnnxTensors.ScalarOfType("i", 1, (int)DataType.Int64));
    }

    /// <summary>Found by the ONNX fuzz test: an edited data type or dims used to crash the TempScale rewrite.</summary>
    [Fact]
    public void TensorWhoseDataDoesNotMatchItsDims_IsRefusedNamingIt()
    {
        var retyped = OnnxTensors.FromFloats("scale", [0.125f], 1);
        retyped.DataType = (int)DataType.Float16; // 4 bytes of data are now 2 halves for 1 element
        Assert.Contains("Tensor 'scale' holds 2 Float16 values, but its dims [1] need 1",
            Assert.Throws<InvalidDataException>(() => OnnxTensors.ToFloats(retyped)).Message);
        var resized = OnnxTensors.FromLongs("ids", [0, 1, 2], 3);
        resized.Dims[0] = 4;
        Assert.Throws<InvalidDataException>(() => OnnxTensors.ToLongs(resized));
        resized.Dims[0] = -3;
        Assert.Throws<InvalidDataException>(() => OnnxTensors.ToLongs(resized));
    }

    [Fact]
    public void Builder_WritesSymbolicDimsOpsetsAndMetadataThatOnnxRuntimeReads()
    {
        var g = new OnnxGraphBuilder("g", 17);
        g.ImportOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
        g.AddMetadata("k", "v");
        g.AddInput("x", DataType.Float, "batch", "sequence", 2);
        var y = g.Op("Add", ["x", g.AddInitializer("b", [1f, 2f], 2)]);
        g.AddNode("Identity", [y], ["y"]);
        g.AddOutput("y", DataType.Float, "batch", "sequence", 2);
        var model = g.ToModel("test");

        Assert.Contains(model.OpsetImport, o => o.Domain == "com.microsoft" && o.Version == 1);
        Assert.Throws<ArgumentException>(() => g.AddInitializer("b", [1f], 1));
        using var session = OrtRunner.Session(model.ToByteArray());
        Assert.Equal(["batch", "sequence", ""], session.InputMetadata["x"].SymbolicDimensions);
        Assert.Equal("v", session.ModelMetadata.CustomMetadataMap["k"]);
        var output = OrtRunner.Run(session, [("x", new[] { 1f, 1f, 3f, 3f }, [1, 2, 2])], "y")[0];
        Assert.Equal([2f, 3f, 4f, 5f], output);
    }

    [Fact]
    public void Load_ReadsExternalDataInsideTheModelFolder()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "m.onnx");
        Directory.CreateDirectory(Path.Combine(dir, "weights"));
        OnnxTestFiles.WriteWithExternalData(SmallModel(), path, "weights/data.bin");

        var loaded = OnnxModelFile.Load(path);
        var weight = loaded.Graph.Initializer.Single(t => t.Name == "w");
        Assert.Equal(TensorProto.Types.DataLocation.External, weight.DataLocation);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (float)i), OnnxTensors.ToFloats(weight, dir));
    }

    [Theory]
    [InlineData("../outside.bin", "contains '..'")]
    [InlineData("sub/../../outside.bin", "contains '..'")]
    [InlineData("ABSOLUTE", "absolute path")]
    public void Load_RejectsExternalDataOutsideTheModelFolder(string location, string reason)
    {
        var root = TestPaths.NewTempDir();
        var dir = Path.Combine(root, "model");
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        var path = Path.Combine(dir, "m.onnx");
        if (location == "ABSOLUTE") location = Path.Combine(root, "outside.bin");
        OnnxTestFiles.WriteWithExternalData(SmallModel(), path, location);

        var e = Assert.Throws<InvalidDataException>(() => OnnxModelFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Load_RejectsExternalDataLinkedOutsideTheModelFolder()
    {
        var root = TestPaths.NewTempDir();
        var dir = Path.Combine(root, "model");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "m.onnx");
        var outside = Path.Combine(root, "secret.bin");
        OnnxTestFiles.WriteWithExternalData(SmallModel(), path, outside);
        var proto = OnnxModelFile.Parse(File.ReadAllBytes(path), path);
        OnnxTestFiles.SetExternal(proto.Graph.Initializer.Single(t => t.Name == "w"), "data.bin", 0, 128);
        File.WriteAllBytes(path, proto.ToByteArray());
        File.CreateSymbolicLink(Path.Combine(dir, "data.bin"), outside);

        var e = Assert.Throws<InvalidDataException>(() => OnnxModelFile.Load(path));
        Assert.Contains("a link to", e.Message);
        Assert.Contains("tensor 'w'", e.Message);
    }

    [Fact]
    public void Load_RejectsMissingOrShortExternalFiles()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "m.onnx");
        OnnxTestFiles.WriteWithExternalData(SmallModel(), path, "data.bin");
        File.WriteAllBytes(Path.Combine(dir, "data.bin"), new byte[8]);
        Assert.Contains("reads past the end", Assert.Throws<InvalidDataException>(() => OnnxModelFile.Load(path)).Message);
        File.Delete(Path.Combine(dir, "data.bin"));
        Assert.Contains("missing file", Assert.Throws<InvalidDataException>(() => OnnxModelFile.Load(path)).Message);
    }

    [Fact]
    public void CorruptOrMissingFiles_AreReportedWithTheirName()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "broken.onnx");
        var bytes = SmallModel();
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => OnnxModelFile.Load(path)).Message);
        File.WriteAllBytes(path, "garbage, not protobuf"u8.ToArray());
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => OnnxModelFile.Load(path)).Message);
        Assert.Throws<FileNotFoundException>(() => OnnxModelFile.Load(Path.Combine(dir, "absent.onnx")));
    }

    [Fact]
    public void UnknownFields_SurviveAParseAndWriteRoundTrip()
    {
        var model = OnnxModelFile.Parse(SmallModel(), "m");
        // Field 20 of ModelProto (training_info) is not in the subset proto; add it as raw bytes.
        var extra = new byte[] { 0xA2, 0x01, 0x02, 0x0A, 0x00 };
        var withUnknown = model.ToByteArray().Concat(extra).ToArray();
        var reparsed = OnnxModelFile.Parse(withUnknown, "m");
        Assert.Equal(withUnknown, reparsed.ToByteArray());
    }

    private static byte[] SmallModel()
    {
        var g = new OnnxGraphBuilder("g", 17);
        g.AddInput("x", DataType.Float, "batch", 4);
        var y = g.Op("MatMul", ["x", g.AddInitializer("w", Enumerable.Range(0, 32).Select(i => (float)i).ToArray(), 4, 8)]);
        g.AddNode("Identity", [y], ["y"]);
        g.AddOutput("y", DataType.Float, "batch", 8);
        return g.ToModel("test").ToByteArray();
    }
}
