using MlNetIso.Transforms.IO;

namespace MlNetIso.Transforms.Tests.IO;

public class VectorTextFileTests
{
    private static string Write(string content)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "vectors.txt");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Read_GloveLayoutAndWord2vecHeader_AreBothRead()
    {
        var v = VectorTextFile.Read(Write("the 0.5 -1.25 3\nof 1e-3 2 -0.000097\n\n"));
        Assert.Equal(["the", "of"], v.Words);
        Assert.Equal(3, v.Dimension);
        Assert.Equal([0.5f, -1.25f, 3f], v.Vectors[0]);
        Assert.Equal(-0.000097f, v.Vectors[1][2]);
        var h = VectorTextFile.Read(Write("2 2\na 1 2\nb\t3 4\n"));
        Assert.Equal(2, h.Vectors.Count);
        Assert.Equal([3f, 4f], h.Vectors[1]);
        Assert.Single(VectorTextFile.Read(Write("a 1 2\nb 3 4\n"), maxRows: 1).Vectors);
    }

    [Fact]
    public void Errors_NameFileAndLine()
    {
        var ragged = Write("a 1 2\nb 3\n");
        var ex = Assert.Throws<FormatException>(() => VectorTextFile.Read(ragged));
        Assert.Contains(ragged, ex.Message);
        Assert.Contains("line 2", ex.Message);
        ex = Assert.Throws<FormatException>(() => VectorTextFile.Read(Write("a 1 2\nb 3 x\n")));
        Assert.Contains("line 2", ex.Message);
        ex = Assert.Throws<FormatException>(() => VectorTextFile.Read(Write("a 1 NaN\n")));
        Assert.Contains("line 1", ex.Message);
        Assert.Throws<FormatException>(() => VectorTextFile.Read(Write("3 2\na 1 2\n")));
        Assert.Throws<FormatException>(() => VectorTextFile.Read(Write("\n\n")));
        Assert.Throws<FileNotFoundException>(() => VectorTextFile.Read(Path.Combine(TestPaths.NewTempDir(), "missing.txt")));
    }
}
