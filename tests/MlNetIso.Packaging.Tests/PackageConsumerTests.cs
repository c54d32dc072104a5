using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace MlNetIso.Packaging.Tests;

/// <summary>
/// Issue 12 §1, end to end: <c>dotnet pack</c> of the solution (no build: the Release build of the libraries that these
/// tests depend on) into a local folder feed, then a fresh console app in a temporary folder outside the repository,
/// with its own NuGet.config (the feed plus nuget.org) and PackageReference only, is restored, built and run: it embeds,
/// trains I-STAR, saves and loads. The app's restore uses a temporary global-packages folder so the packages under test
/// never enter the machine's NuGet cache; the machine's cache serves every other package as a read-only fallback folder,
/// which also lets the test check that the TorchSharp native fix left the cache's libLibTorchSharp.so untouched.
/// </summary>
public sealed class PackageConsumerTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string[] Libraries = ["MlNetIso.Geometry", "MlNetIso.Onnx", "MlNetIso.Transforms", "MlNetIso.Trainers"];
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(8);
    private readonly string _root = TestPaths.NewTempDir();

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public void PackedLibraries_RunInAFreshApp_FromALocalFeed()
    {
        var clock = Stopwatch.StartNew();
        var feed = Path.Combine(_root, "feed");
        var version = PackageVersion();
        Run("dotnet", TestPaths.RepoRoot, null, "pack", Path.Combine(TestPaths.RepoRoot, "MlNetIso.sln"), "-c", Configuration,
            "--no-build", "-o", feed, "-nodeReuse:false");
        var packTime = clock.Elapsed;
        foreach (var id in Libraries)
        {
            CheckPackage(Path.Combine(feed, $"{id}.{version}.nupkg"), id, version);
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.snupkg")), $"{id}: no symbol package (.snupkg).");
        }

        var app = Path.Combine(_root, "app");
        Directory.CreateDirectory(app);
        foreach (var file in new[] { "Consumer.csproj", "Program.cs" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", file), Path.Combine(app, file));
        var userCache = UserPackagesFolder();
        File.WriteAllText(Path.Combine(app, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{userCache}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        var env = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = Path.Combine(_root, "packages"),
            ["MLNETISO_MODEL_CACHE"] = Path.Combine(_root, "models"),
        };

        var cachedLib = Path.Combine(userCache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var cachedHash = File.Exists(cachedLib) ? Sha256(cachedLib) : null;

        Run("dotnet", app, env, "build", "-c", "Release", $"-p:MlNetIsoVersion={version}", "-nodeReuse:false");
        var buildTime = clock.Elapsed - packTime;
        using (var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"))))
        {
            var libraries = assets.RootElement.GetProperty("libraries");
            foreach (var id in Libraries)
                Assert.Equal("package", libraries.GetProperty($"{id}/{version}").GetProperty("type").GetString());
        }

        var output = Run("dotnet", app, env, Path.Combine(app, "bin", "Release", "net10.0", "Consumer.dll"), Path.Combine(_root, "out"));
        var runTime = clock.Elapsed - packTime - buildTime;
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("EMBED d=128 norm=1.0000", StringComparison.Ordinal));
        var accuracy = double.Parse(Value(lines, "TRAIN", "accuracy"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.9, $"The consumer's I-STAR model fits its 60 training rows with accuracy {accuracy} only.\n{output}");
        Assert.True(long.Parse(Value(lines, "SAVE", "bytes"), System.Globalization.CultureInfo.InvariantCulture) > 100_000);
        Assert.Equal("60", Value(lines, "LOAD", "rows"));
        Assert.Equal(0.0, double.Parse(Value(lines, "LOAD", "maxScoreDiff"), System.Globalization.CultureInfo.InvariantCulture));

        // The native fix ran in the consumer's build (buildTransitive) and touched only the consumer's copy.
        if (OperatingSystem.IsLinux() && cachedHash is not null)
        {
            Assert.Equal(cachedHash, Sha256(cachedLib));
            var outputLib = Path.Combine(app, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            if (!SystemLibStdCxxHas("GLIBCXX_3.4.32"))
                Assert.True((ElfVersionNeeds.FlagsOf(outputLib, "GLIBCXX_3.4.32")!.Value & 0x2) != 0,
                    "The consumer's output copy of libLibTorchSharp.so still needs GLIBCXX_3.4.32 strongly.");
        }
        log.WriteLine($"packaging test: pack {packTime.TotalSeconds:F0} s, consumer restore+build {buildTime.TotalSeconds:F0} s, run {runTime.TotalSeconds:F0} s");
    }

    private static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The version the libraries are packed with: VersionPrefix from Directory.Build.props.</summary>
    private static string PackageVersion()
    {
        var props = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Directory.Build.props"));
        return props.Descendants("VersionPrefix").Single().Value.Trim();
    }

    /// <summary>The package's metadata, readme, XML docs and (Trainers) buildTransitive targets are all there.</summary>
    private static void CheckPackage(string nupkg, string id, string version)
    {
        Assert.True(File.Exists(nupkg), $"dotnet pack did not produce {Path.GetFileName(nupkg)}.");
        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        using (var reader = new StreamReader(zip.GetEntry($"{id}.nuspec")!.Open()))
        {
            var nuspec = XDocument.Parse(reader.ReadToEnd());
            var meta = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Get(string name) => meta.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal(version, Get("version"));
            Assert.False(string.IsNullOrWhiteSpace(Get("description")), $"{id}: no description.");
            Assert.False(string.IsNullOrWhiteSpace(Get("authors")), $"{id}: no authors.");
            Assert.Contains("MIT", meta.Elements().Single(e => e.Name.LocalName == "license").Value);
            Assert.Equal("README.md", Get("readme"));
            Assert.Contains("IsoScore", Get("tags"));
            var repository = meta.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
            var dependencies = meta.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
            // Libraries never pin an ONNX Runtime native build: the app chooses CPU or GPU.
            Assert.DoesNotContain("Microsoft.ML.OnnxRuntime", dependencies);
            Assert.DoesNotContain("Microsoft.ML.OnnxRuntime.Gpu", dependencies);
            if (id == "MlNetIso.Transforms") Assert.Contains("Microsoft.ML.OnnxRuntime.Managed", dependencies);
        }
        Assert.Contains("README.md", names);
        Assert.Contains($"lib/net10.0/{id}.dll", names);
        Assert.Contains($"lib/net10.0/{id}.xml", names);
        if (id == "MlNetIso.Trainers") Assert.Contains("buildTransitive/MlNetIso.Trainers.targets", names);
    }

    private static string Value(string[] lines, string key, string name)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal))
                   ?? throw new Xunit.Sdk.XunitException($"The consumer printed no {key} line:\n{string.Join('\n', lines)}");
        var field = line.Split(' ').Select(f => f.Split('=', 2)).FirstOrDefault(f => f.Length == 2 && f[0] == name)
                    ?? throw new Xunit.Sdk.XunitException($"The {key} line has no {name}: {line}");
        return field[1];
    }

    private static string UserPackagesFolder()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return !string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    private static bool SystemLibStdCxxHas(string version) =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .Where(File.Exists).Any(p => Encoding.ASCII.GetString(File.ReadAllBytes(p)).Contains(version + "\0", StringComparison.Ordinal));

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>Runs a command, failing the test with its output when it exits non-zero or overruns.</summary>
    private static string Run(string file, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // The test host's MSBuild variables (set by 'dotnet test') must not leak into a separate build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish within {StepTimeout}.");
        }
        process.WaitForExit();
        var text = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"'{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}:\n{text}");
        return stdout.Result;
    }
}
