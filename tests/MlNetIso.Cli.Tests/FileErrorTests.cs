using System.Diagnostics;

namespace MlNetIso.Cli.Tests;

/// <summary>
/// Issue 13, item 6: every file-system error is exit code 3 with one line on standard error naming the path; outputs
/// are checked before the work; an input without rows is exit code 2 with the same message in every verb.
/// </summary>
public class FileErrorTests
{
    [Theory]
    [InlineData("report", "--input")]
    [InlineData("report", "--vectors")]
    [InlineData("embed", "--input")]
    [InlineData("collapse", "--input")]
    [InlineData("tempscale", "--model")]
    [InlineData("embed", "--model")]
    public void MissingFile_IsAFileSystemErrorNamingIt(string verb, string option)
    {
        var missing = Path.Combine(CliRunner.NewTempDir(), "missing.txt");
        var r = CliRunner.Run(verb, option, missing);
        Assert.True(r.ExitCode == ExitCodes.FileSystem, r.ToString());
        Assert.Contains(missing, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void TrainWithAMissingInput_IsAFileSystemError()
    {
        var r = CliRunner.Run("train", "--input", "/no/such/labelled.csv", "--label", "Label");
        Assert.Equal(ExitCodes.FileSystem, r.ExitCode);
        Assert.Contains("/no/such/labelled.csv", r.Error);
    }

    [Fact]
    public void InputThatIsAFolder_IsAFileSystemError()
    {
        var dir = CliRunner.NewTempDir();
        var r = CliRunner.Run("embed", "--input", dir, "--model", CliRunner.DemoModel);
        Assert.Equal(ExitCodes.FileSystem, r.ExitCode);
        Assert.Contains("is a folder", r.Error);
    }

    [Theory]
    [InlineData("embed", "--output")]
    [InlineData("train", "--output")]
    public void OutputThatIsAFolder_FailsBeforeAnyWork(string verb, string option)
    {
        var dir = CliRunner.NewTempDir();
        var r = CliRunner.Run(verb, option, dir, "--model", CliRunner.DemoModel);
        Assert.True(r.ExitCode == ExitCodes.FileSystem, r.ToString());
        Assert.Contains("is a folder; give a file path", r.Error);
        Assert.DoesNotContain("Training", r.Output);
    }

    [Theory]
    [InlineData("report", "--out", "report-folder")]
    [InlineData("collapse", "--out", "collapse-folder")]
    [InlineData("tempscale", "--output", "model-folder")]
    [InlineData("embed", "--output", "sub/e.csv")]
    [InlineData("train", "--output", "sub/m.zip")]
    public void OutputBelowAFile_IsAFileSystemError(string verb, string option, string below)
    {
        var dir = CliRunner.NewTempDir();
        var file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "not a folder");
        var target = Path.Combine(file, below);
        var r = CliRunner.Run(verb, option, target, "--model", CliRunner.DemoModel);
        Assert.True(r.ExitCode == ExitCodes.FileSystem, r.ToString());
        Assert.Contains("a-file", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void Train_ChecksThatItsOutputCanBeWrittenBeforeTraining()
    {
        // /sys refuses new files even to root, so this holds whoever runs the tests.
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run("train", "--output", "/sys/kernel/mlnetiso-test/model.zip", "--model", CliRunner.DemoModel, "--epochs", "50");
        Assert.True(r.ExitCode == ExitCodes.FileSystem, r.ToString());
        Assert.Contains("cannot be written", r.Error);
        Assert.DoesNotContain("epoch", r.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}: the check must come before the work");
    }

    public static TheoryData<string[]> EmptyInputs => new()
    {
        new[] { "report", "--input", "{txt}" },
        new[] { "report", "--vectors", "{csv}" },
        new[] { "report", "--vectors", "{npy}" },
        new[] { "embed", "--input", "{txt}" },
        new[] { "embed", "--input", "{tsv}" },
        new[] { "collapse", "--input", "{txt}" },
        new[] { "train", "--input", "{tsv}", "--label", "Label" },
    };

    [Theory]
    [MemberData(nameof(EmptyInputs))]
    public void EmptyInput_IsTheSameInputErrorInEveryVerb(string[] args)
    {
        var dir = CliRunner.NewTempDir();
        var files = new Dictionary<string, string>
        {
            ["{txt}"] = Path.Combine(dir, "empty.txt"),
            ["{csv}"] = Path.Combine(dir, "empty.csv"),
            ["{npy}"] = Path.Combine(dir, "empty.npy"),
            ["{tsv}"] = Path.Combine(dir, "header-only.tsv"),
        };
        File.WriteAllText(files["{txt}"], "");
        File.WriteAllText(files["{csv}"], "id,e0,e1\n");
        File.WriteAllBytes(files["{npy}"], MlNetIso.Cli.IO.NpyHeader.Float32Matrix(0, 4));
        File.WriteAllText(files["{tsv}"], "Text\tLabel\n");
        var output = Path.Combine(dir, "out");
        string[] outputs = args[0] switch
        {
            "embed" => ["--output", Path.Combine(output, "e.csv")],
            "train" => ["--output", Path.Combine(output, "m.zip")],
            _ => ["--out", output],
        };
        var r = CliRunner.Run([.. args.Select(a => files.GetValueOrDefault(a, a)), .. outputs, "--model", CliRunner.DemoModel]);
        Assert.True(r.ExitCode == ExitCodes.InputData, r.ToString());
        Assert.Matches("error: (Input|Vector file) '.*' holds no (texts|rows|vectors)", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Any(), "nothing is written for an empty input");
    }

    [Theory]
    [InlineData("train")]
    [InlineData("report")]
    [InlineData("collapse")]
    public void Interrupted_VerbsThatWriteAtTheEnd_WriteNothing(string verb)
    {
        var dir = CliRunner.NewTempDir();
        var input = Path.Combine(dir, "labelled.tsv");
        File.WriteAllLines(input, ["Text\tLabel", .. Enumerable.Range(0, 30).Select(i => $"text number {i}\t{(i % 2 == 0 ? "a" : "b")}")]);
        var output = Path.Combine(dir, "out");
        string[] args = verb switch
        {
            "train" => ["train", "--input", input, "--label", "Label", "--output", Path.Combine(output, "m.zip")],
            _ => [verb, "--input", input, "--out", output],
        };
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        var r = CliRunner.Run(interrupt.Token, [.. args, "--model", CliRunner.DemoModel]);
        Assert.True(r.ExitCode == ExitCodes.Interrupted, r.ToString());
        Assert.Equal("interrupted; no output was written.", r.Error.Trim());
        Assert.Empty(Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories));
    }
}
