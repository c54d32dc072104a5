namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Finds the DLL of a built-in encoder's NuGet package: first beside the application
/// (<see cref="AppContext.BaseDirectory"/>, where a <c>PackageReference</c> copies it), then in the NuGet global
/// packages folder (<c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>) under
/// <c>&lt;id in lower case&gt;/&lt;version&gt;/lib/netstandard2.1/</c>.
/// </summary>
internal static class EncoderAssemblyLocator
{
    /// <summary>The target framework folder the SentenceTransformers packages ship their DLL in.</summary>
    public const string LibFolder = "netstandard2.1";

    /// <summary>The default places to look, in order.</summary>
    public static IReadOnlyList<string> DefaultProbeFolders(BuiltInEncoder encoder)
    {
        var folders = new List<string> { AppContext.BaseDirectory };
        if (encoder.PackageId is { } id && encoder.PackageVersion is { } version)
        {
            var packages = NuGetPackagesFolder(Environment.GetEnvironmentVariable,
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
            if (packages is not null)
                folders.Add(Path.Combine(packages, id.ToLowerInvariant(), version, "lib", LibFolder));
        }
        return folders;
    }

    /// <summary><c>NUGET_PACKAGES</c> when set, else <c>&lt;home&gt;/.nuget/packages</c>; null without either.</summary>
    internal static string? NuGetPackagesFolder(Func<string, string?> environment, string? home)
    {
        var configured = environment("NUGET_PACKAGES");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".nuget", "packages");
    }

    /// <summary>
    /// The first existing <c>AssemblyFileName</c> in <paramref name="probeFolders"/>; otherwise a
    /// <see cref="FileNotFoundException"/> that names the <c>PackageReference</c> to add and every place looked at.
    /// </summary>
    public static string Find(BuiltInEncoder encoder, IReadOnlyList<string> probeFolders)
    {
        var fileName = encoder.AssemblyFileName
                       ?? throw new InvalidOperationException($"Built-in encoder '{encoder.Name}' is not shipped in a package.");
        foreach (var folder in probeFolders)
        {
            var candidate = Path.Combine(folder, fileName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"The built-in encoder '{encoder.Name}' comes from the NuGet package {encoder.PackageId} {encoder.PackageVersion}, " +
            $"which this application does not reference. Add <PackageReference Include=\"{encoder.PackageId}\" " +
            $"Version=\"{encoder.PackageVersion}\" /> to the application's project file (MlNetIso does not reference it " +
            $"itself: it is 90 MB). Looked for {fileName} in: {string.Join("; ", probeFolders)}.",
            fileName);
    }
}
