using System.CommandLine;
using System.Text.RegularExpressions;
using MlNetIso.Cli.Verbs;

namespace MlNetIso.Cli.Tests;

/// <summary>The command line as a whole: help, exit codes, and errors as one line on standard error.</summary>
public class CliAppTests
{
    [Fact]
    public void NoArguments_PrintsHelpAndIsAUsageError()
    {
        var r = CliRunner.Run();
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("Usage:", r.Output);
        Assert.Equal("error: no verb given; choose one of report, collapse, tempscale, embed, train, sweep, spectrum, layers.", r.Error.Trim());
    }

    [Fact]
    public void Help_ListsEveryVerbAndTheExitCodes()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        foreach (var verb in VerbCatalog.Create()) Assert.Contains(verb.Name, r.Output);
        Assert.Contains("130 interrupted", r.Output);
        Assert.Empty(r.Error);
    }

    public static TheoryData<string> Verbs => new(VerbCatalog.Create().Select(v => v.Name));

    [Theory]
    [MemberData(nameof(Verbs))]
    public void VerbHelp_ListsEveryOptionWithItsDefault(string name)
    {
        var verb = VerbCatalog.Create().Single(v => v.Name == name);
        var r = CliRunner.Run(name, "--help");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Contains(verb.Summary, r.Output);
        // Help rows start with two spaces and a dash; wrapped descriptions continue on indented lines.
        var rows = Regex.Split(r.Output, @"\n(?=  -)");
        foreach (var option in verb.Options)
        {
            var row = rows.SingleOrDefault(x => Regex.IsMatch(x, @"^\s*(-\S+, )*" + Regex.Escape(option.Name) + @"[ ,]"));
            Assert.True(row is not null, $"'{name} --help' does not list {option.Name}:\n{r.Output}");
            Assert.False(string.IsNullOrWhiteSpace(option.Description), option.Name);
            if (option.ValueType != typeof(bool))
                Assert.True(row!.Contains("[default: ", StringComparison.Ordinal), $"{option.Name} shows no default:\n{row}");
        }
    }

    [Fact]
    public void EveryVerbIsAVerbClassAndEveryOptionIsDocumented()
    {
        var verbs = VerbCatalog.Create();
        Assert.Equal(["report", "collapse", "tempscale", "embed", "train", "sweep", "spectrum", "layers"], verbs.Select(v => v.Name));
        var readme = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "docs", "cli.md"));
        foreach (var verb in verbs)
        foreach (var option in verb.Options.Where(o => o is not System.CommandLine.Help.HelpOption))
            Assert.True(readme.Contains($"`{option.Name}", StringComparison.Ordinal), $"docs/cli.md does not document {verb.Name} {option.Name}");
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown verb 'frobnicate'")]
    [InlineData(new[] { "report", "--vectors" }, "--vectors")]
    [InlineData(new[] { "report", "--sample", "-3" }, "--sample must be an integer in [2, 1000000], got -3")]
    [InlineData(new[] { "tempscale", "--temperature", "abc" }, "Cannot parse argument 'abc' for option '--temperature'")]
    [InlineData(new[] { "tempscale", "--temperature", "0" }, "--temperature must be a number in [1E-06, 1000000], got 0")]
    [InlineData(new[] { "spectrum", "--tolerance", "2" }, "--tolerance must be a number in [1E-06, 1], got 2")]
    [InlineData(new[] { "collapse", "--temperature", "1,x" }, "--temperature: 'x' is not a number")]
    [InlineData(new[] { "embed", "--format", "xml" }, "Argument 'xml' not recognized. Must be one of: 'csv' 'npy'")]
    [InlineData(new[] { "embed", "--long-text", "wrap" }, "'wrap' not recognized")]
    [InlineData(new[] { "embed", "--max-tokens", "2" }, "--max-tokens must be at least 3")]
    [InlineData(new[] { "report", "--colour", "red" }, "Unrecognized command or argument '--colour'")]
    [InlineData(new[] { "embed", "--format", "npy", "--id-column", "id" }, "--id-column needs --format csv")]
    [InlineData(new[] { "train", "--label", "Label" }, "--column and --label need --input")]
    public void BadArguments_AreUsageErrorsWithOneLineOnStandardError(string[] args, string expected)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == ExitCodes.Usage, r.ToString());
        Assert.Contains(expected, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", r.Error);
    }

    [Fact]
    public void StackTrace_OnlyWithVerbose()
    {
        var quiet = CliRunner.Run("embed", "--input", "/no/such/texts.txt");
        Assert.Equal(ExitCodes.FileSystem, quiet.ExitCode);
        Assert.Equal("error: Input file '/no/such/texts.txt' does not exist.", quiet.Error.Trim());

        var verbose = CliRunner.Run("embed", "--input", "/no/such/texts.txt", "--verbose");
        Assert.Equal(ExitCodes.FileSystem, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Error);
    }

    [Fact]
    public void Classify_FindsTheMeaningfulExceptionInsideMlNetsWrappers()
    {
        var none = CancellationToken.None;
        var wrapped = new InvalidOperationException("Splitter/consolidator worker encountered exception while consuming source data",
            new CliInputException("Row 3 of 'x.csv' has 1 field(s)."));
        Assert.Equal((ExitCodes.InputData, wrapped.InnerException!), CliApp.Classify(wrapped, none));
        Assert.Equal(ExitCodes.FileSystem, CliApp.Classify(new AggregateException(new UnauthorizedAccessException("denied")), none).Code);
        Assert.Equal(ExitCodes.FileSystem, CliApp.Classify(new DirectoryNotFoundException("gone"), none).Code);
        Assert.Equal(ExitCodes.InputData, CliApp.Classify(new EndOfStreamException("short"), none).Code);
        Assert.Equal(ExitCodes.InputData, CliApp.Classify(new InvalidDataException("bad model"), none).Code);
        // Our message names the file; the parser's exception inside it is an IOException (Google.Protobuf's is), and the
        // file-system exit code with the parser's message would hide which file is broken.
        var corrupt = new InvalidDataException("ONNX model 'm.onnx' is not a valid ONNX protobuf: truncated", new IOException("truncated"));
        Assert.Equal((ExitCodes.InputData, (Exception)corrupt), CliApp.Classify(corrupt, none));
        Assert.Equal(ExitCodes.Usage, CliApp.Classify(new ArgumentOutOfRangeException("x", "bad option"), none).Code);
        Assert.Equal(ExitCodes.Internal, CliApp.Classify(new NullReferenceException(), none).Code);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Equal(ExitCodes.Interrupted, CliApp.Classify(new InvalidOperationException("wrapped", new OperationCanceledException()), cancelled.Token).Code);
        Assert.Equal(ExitCodes.Internal, CliApp.Classify(new OperationCanceledException(), none).Code); // not ours to call an interruption
    }

    [Fact]
    public void DisplayPath_IsRelativeToTheWorkingDirectoryInsideIt()
    {
        var cwd = Directory.GetCurrentDirectory();
        Assert.Equal(Path.Combine("out", "report.html"), Arguments.DisplayPath.Of(Path.Combine(cwd, "out", "report.html")));
        Assert.Equal(Path.Combine("out", "model") + "/", Arguments.DisplayPath.Of(Path.Combine(cwd, "out", "model"), folder: true));
        Assert.Equal("/elsewhere/x.csv", Arguments.DisplayPath.Of("/elsewhere/x.csv"));
    }
}
