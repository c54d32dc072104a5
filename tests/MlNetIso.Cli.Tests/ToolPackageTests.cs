using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MlNetIso.Cli.Tests;

/// <summary>
/// The CLI as a user gets it: packed as a .NET tool into a local folder feed, installed into a tool path, and run from
/// a folder outside the repository (bundled sample texts, built-in demo encoder). Packing this machine's RID only
/// (the README's full pack writes linux-x64, win-x64 and osx-arm64); about a minute, most of it compressing libtorch.
/// </summary>
public class ToolPackageTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public void PackedTool_InstallsFromALocalFeedAndRunsAnywhere()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        if (rid is not ("linux-x64" or "win-x64" or "osx-arm64"))
        {
            log.WriteLine($"SKIPPED: the tool is packed for linux-x64, win-x64 and osx-arm64, not {rid}.");
            return;
        }
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var root = CliRunner.NewTempDir();
        try
        {
            var feed = Path.Combine(root, "feed");
            var tools = Path.Combine(root, "tools");
            var work = Path.Combine(root, "elsewhere");
            Directory.CreateDirectory(work);
            File.WriteAllText(Path.Combine(root, "nuget.config"),
                $"<?xml version=\"1.0\" encoding=\"utf-8\"?><configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");

            var clock = Stopwatch.StartNew();
            Run(root, "dotnet", "pack", Path.Combine(CliRunner.RepoRoot, "src", "Cli", "MlNetIso.Cli.csproj"), "-c", configuration, "-o", feed,
                $"-p:ToolPackageRuntimeIdentifiers={rid}", "-p:BuildProjectReferences=false", "--nologo"); // the libraries are built already; other tests pack them at the same time
            log.WriteLine($"pack: {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(File.Exists(Path.Combine(feed, "mlnetiso.0.1.0.nupkg")), "the pointer package");
            Assert.True(File.Exists(Path.Combine(feed, $"mlnetiso.{rid}.0.1.0.nupkg")), "the platform package");

            clock.Restart();
            Run(root, "dotnet", "tool", "install", "mlnetiso", "--tool-path", tools, "--configfile", Path.Combine(root, "nuget.config"));
            log.WriteLine($"install: {clock.Elapsed.TotalSeconds:0.0} s");
            var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "mlnetiso.exe" : "mlnetiso");

            clock.Restart();
            var help = Run(work, command, "--help");
            log.WriteLine($"mlnetiso --help: {clock.Elapsed.TotalSeconds:0.00} s");
            Assert.Contains("report", help);
            Assert.Contains("Exit codes", help);

            var report = Run(work, command, "report", "--limit", "60", "--out", "r");
            Assert.Contains("IsoScore", report);
            Assert.True(File.Exists(Path.Combine(work, "r", "report.html")));
            Assert.Contains("wrote r/report.html", report); // paths relative to where the user is
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Run(string workingDirectory, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["MLNETISO_MODEL_CACHE"] = Path.Combine(workingDirectory, ".model-cache");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(8)), $"{file} {string.Join(' ', args)} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: exit {process.ExitCode}\n{stdout}\n{stderr.GetAwaiter().GetResult()}");
        return stdout;
    }
}
