using System.Reflection;

namespace MlNetIso.Readme.Tests;

/// <summary>Runs programs one at a time: each changes the process's current folder and console.</summary>
[CollectionDefinition(nameof(ReadmeProgramsCollection), DisableParallelization = true)]
public sealed class ReadmeProgramsCollection;

/// <summary>
/// Every complete program in README.md compiles as written and runs to completion in an empty folder (the folder a
/// user would run it from), printing what the README says it prints.
/// </summary>
[Collection(nameof(ReadmeProgramsCollection))]
public sealed class ReadmeProgramsTests
{
    /// <summary>The headings of the README sections whose program this test expects, in README order.</summary>
    private static readonly string[] ExpectedSections =
    [
        "Measure isotropy in a pipeline",
        "Embed text with TempScale",
        "Train with I-STAR, evaluate, save, load",
        "Embeddings through Microsoft.Extensions.AI (`MlNetIso.Extensions.AI`)",
    ];

    public static TheoryData<string> Sections() => new(ExpectedSections);

    [Fact]
    public void Readme_HasOneProgramPerComponent()
    {
        var programs = ReadmePrograms.Programs();
        Assert.Equal(ExpectedSections, programs.Select(p => p.Heading));
    }

    [Fact]
    public void Blocks_FindsProgramsAndFragments()
    {
        const string markdown = "# A\n```csharp\nusing X;\nvar a = 1;\n```\ntext\n## B\n```csharp\nservices.Add();\n```\n```bash\nls\n```\n";
        var blocks = ReadmePrograms.Blocks(markdown);
        Assert.Equal(2, blocks.Count);
        Assert.True(blocks[0].IsProgram);
        Assert.Equal(("A", 3, "using X;\nvar a = 1;"), (blocks[0].Heading, blocks[0].Line, blocks[0].Code));
        Assert.False(blocks[1].IsProgram);
        Assert.Throws<FormatException>(() => ReadmePrograms.Blocks("```csharp\nusing X;\n"));
    }

    [Fact]
    public void Compile_ReportsTheErrorsOfABrokenProgram()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ProgramCompiler.Compile("using Microsoft.ML;\nvar x = new MLContext().NoSuchCatalog;", "Broken"));
        Assert.Contains("NoSuchCatalog", e.Message);
        Assert.Contains("Program.cs(2,", e.Message);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Program_CompilesAndRunsAsWritten(string section)
    {
        var block = ReadmePrograms.Programs().Single(p => p.Heading == section);
        var assembly = ProgramCompiler.Compile(block.Code, "ReadmeProgram");
        var output = Run(assembly, block);
        Assert.False(string.IsNullOrWhiteSpace(output), $"{block} printed nothing.");
        foreach (var expected in ExpectedOutput(section)) Assert.Contains(expected, output);
        Console.WriteLine($"{block}:\n{output}");
    }

    /// <summary>What each program says it prints (the README shows these lines in comments beside the code).</summary>
    private static string[] ExpectedOutput(string section) => section switch
    {
        "Measure isotropy in a pipeline" => ["IsoScore", "after whitening"],
        "Embed text with TempScale" => ["τ = 1:", "τ = 0.8:", "rewrote 6 attention softmaxes"],
        "Train with I-STAR, evaluate, save, load" => ["held-out accuracy", "loaded pipeline.zip predicts"],
        _ => ["dimensions"],
    };

    private static string Run(Assembly assembly, ReadmePrograms.Block block)
    {
        var folder = TestPaths.NewTempDir();
        var previousFolder = Environment.CurrentDirectory;
        var previousOut = Console.Out;
        var output = new StringWriter();
        try
        {
            Environment.CurrentDirectory = folder;
            Console.SetOut(output);
            var entry = assembly.EntryPoint ?? throw new InvalidOperationException($"{block} has no entry point.");
            var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            if (result is Task task) task.GetAwaiter().GetResult();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException($"{block} failed: {e.InnerException.Message}\nOutput so far:\n{output}", e.InnerException);
        }
        finally
        {
            Console.SetOut(previousOut);
            Environment.CurrentDirectory = previousFolder;
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return output.ToString();
    }
}
