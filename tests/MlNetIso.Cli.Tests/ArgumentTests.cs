namespace MlNetIso.Cli.Tests;

public class ArgumentTests
{
    [Fact]
    public void NoArguments_PrintsUsageAndFails()
    {
        var (code, output) = CliRunner.Run();
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains("Usage: mlnetiso <verb>", output);
    }

    [Fact]
    public void Help_Succeeds()
    {
        var (code, output) = CliRunner.Run("--help");
        Assert.Equal(CliApp.Ok, code);
        Assert.Contains("collapse", output);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "Unknown verb 'frobnicate'")]
    [InlineData(new[] { "report", "--vectors" }, "--vectors needs a value")]
    [InlineData(new[] { "report", "--sample", "-3", "--vectors", "x.txt" }, "--sample must be an integer")]
    [InlineData(new[] { "tempscale", "--temperature", "abc" }, "--temperature must be a number")]
    [InlineData(new[] { "tempscale", "--temperature", "0" }, "--temperature must be a number")]
    [InlineData(new[] { "collapse", "--temperatures", "1,x" }, "'x' is not a number")]
    [InlineData(new[] { "embed", "--format", "xml" }, "--format must be csv or bin")]
    [InlineData(new[] { "report", "--vectors", "a.txt", "--colour", "red" }, "Unknown option(s) for 'report': --colour")]
    [InlineData(new[] { "report", "stray" }, "Unexpected argument 'stray'")]
    [InlineData(new[] { "report", "--out", "a", "--out", "b" }, "--out is given twice")]
    public void BadArgumentsGiveUsageErrorWithAHelpfulMessage(string[] args, string expected)
    {
        var (code, output) = CliRunner.Run(args);
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void MissingInputFile_IsAnInputError()
    {
        var (code, output) = CliRunner.Run("report", "--vectors", "/no/such/file.txt");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("/no/such/file.txt", output);
    }

    [Fact]
    public void RaggedVectorFile_NamesTheLine()
    {
        var dir = CliRunner.NewTempDir();
        var path = Path.Combine(dir, "bad.csv");
        File.WriteAllLines(path, ["1,2,3", "4,5,6", "7,8"]);
        var (code, output) = CliRunner.Run("report", "--vectors", path, "--out", dir);
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("Line 3", output);
    }

    [Fact]
    public void MissingModel_IsAnInputError()
    {
        var (code, output) = CliRunner.Run("tempscale", "--model", "/no/model.onnx", "--temperature", "0.5");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("/no/model.onnx", output);
    }

    [Fact]
    public void TrainWithInputButNoLabel_IsAUsageError()
    {
        var dir = CliRunner.NewTempDir();
        var path = Path.Combine(dir, "d.csv");
        File.WriteAllLines(path, ["Text,Label", "good,pos", "bad,neg"]);
        var (code, output) = CliRunner.Run("train", "--input", path);
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains("--label NAME is required", output);
    }
}
