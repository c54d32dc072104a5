using System.Text.RegularExpressions;

namespace MlNetIso.Readme.Tests;

/// <summary>
/// The C# code blocks of README.md. A block whose first line is a <c>using</c> directive is a complete program
/// (top-level statements) that a user can paste into <c>dotnet new console</c>; any other block is a fragment shown
/// inside prose (for example the ASP.NET Core handler, whose complete program is <c>samples/MlNetIso.Service</c>).
/// </summary>
internal static partial class ReadmePrograms
{
    /// <summary>One fenced <c>csharp</c> block: the heading above it, its 1-based first line and its code.</summary>
    internal sealed record Block(string Heading, int Line, string Code)
    {
        public bool IsProgram => Code.TrimStart().StartsWith("using ", StringComparison.Ordinal);

        public override string ToString() => $"README.md:{Line} ({Heading})";
    }

    public static string ReadmePath => Path.Combine(TestPaths.RepoRoot, "README.md");

    /// <summary>Every fenced csharp block of <paramref name="markdown"/>, in order.</summary>
    public static IReadOnlyList<Block> Blocks(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var blocks = new List<Block>();
        var heading = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#')) heading = lines[i].TrimStart('#', ' ');
            if (!CSharpFence().IsMatch(lines[i])) continue;
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].TrimEnd() != "```") end++;
            if (end == lines.Length) throw new FormatException($"README.md:{i + 1}: the csharp block is never closed.");
            blocks.Add(new Block(heading, start + 1, string.Join('\n', lines[start..end])));
            i = end;
        }
        return blocks;
    }

    /// <summary>The complete programs of the repository's README, keyed by where they are.</summary>
    public static IReadOnlyList<Block> Programs() =>
        Blocks(File.ReadAllText(ReadmePath)).Where(b => b.IsProgram).ToList();

    [GeneratedRegex(@"^```(csharp|cs|c#)\s*$")]
    private static partial Regex CSharpFence();
}
