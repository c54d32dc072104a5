using System.Reflection;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Where a built-in encoder's resource bytes are read from: a package's DLL read as data through
/// <see cref="ManifestResourceFile"/> (its code is never loaded), or MlNetIso.Transforms' own manifest resources.
/// Streams are valid until this object is disposed.
/// </summary>
internal sealed class EncoderResources : IDisposable
{
    private readonly ManifestResourceFile? _file;
    private readonly Assembly? _assembly;

    private EncoderResources(ManifestResourceFile? file, Assembly? assembly, string origin)
    {
        _file = file;
        _assembly = assembly;
        Origin = origin;
    }

    /// <summary>Describes the source in messages and in the model card (a DLL path or the library's name).</summary>
    public string Origin { get; }

    /// <summary>Reads the resources of the DLL at <paramref name="dllPath"/> and checks that it is <paramref name="expectedAssembly"/>.</summary>
    public static EncoderResources FromAssemblyFile(string dllPath, string expectedAssembly)
    {
        var file = ManifestResourceFile.Open(dllPath);
        if (!string.Equals(file.AssemblyName, expectedAssembly, StringComparison.Ordinal))
        {
            file.Dispose();
            throw new InvalidDataException($"'{dllPath}' holds the assembly '{file.AssemblyName}', not '{expectedAssembly}'.");
        }
        return new EncoderResources(file, null, dllPath);
    }

    /// <summary>The resources embedded in MlNetIso.Transforms.</summary>
    public static EncoderResources FromLibrary()
    {
        var assembly = typeof(EncoderResources).Assembly;
        return new EncoderResources(null, assembly, $"{assembly.GetName().Name} {assembly.GetName().Version} (embedded resources)");
    }

    /// <summary>Opens resource <paramref name="name"/>; throws <see cref="InvalidDataException"/> naming the source when it is absent.</summary>
    public Stream Open(string name)
    {
        var stream = _file is not null ? _file.OpenResource(name) : _assembly!.GetManifestResourceStream(name);
        return stream ?? throw new InvalidDataException(
            $"{Origin} has no resource '{name}' (resources: {string.Join(", ", Names)}).");
    }

    private IEnumerable<string> Names => _file?.ResourceNames ?? _assembly!.GetManifestResourceNames();

    /// <inheritdoc/>
    public void Dispose() => _file?.Dispose();
}
