using MlNetIso.Onnx.IO;

namespace MlNetIso.Transforms.Tests.Encoders;

public class AtomicFileTests
{
    [Fact]
    public void Write_ReplacesTheTargetAndLeavesNoTemporaryFile()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "a.json");
        File.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void FailingWriter_KeepsTheOldFileAndRemovesTheTemporaryOne()
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "model.safetensors");
        File.WriteAllText(path, "complete old file");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half of the new"u8);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("complete old file", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }
}
