using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Reads the embedded (manifest) resources of a .NET assembly file as data, without loading or running the assembly:
/// System.Reflection.Metadata's <see cref="PEReader"/> parses the PE/ECMA-335 headers, and each resource is the
/// 4-byte little-endian length followed by the bytes at <c>CLI header Resources RVA + ManifestResource.Offset</c>
/// (ECMA-335 §II.24.2.4 / §II.22.24). Large sections are memory-mapped by the reader, so a resource is streamed
/// from the page cache rather than copied into managed memory.
/// </summary>
internal sealed class ManifestResourceFile : IDisposable
{
    private readonly FileStream _file;
    private readonly PEReader _pe;
    private readonly Dictionary<string, ManifestResource> _resources = new(StringComparer.Ordinal);

    private ManifestResourceFile(string path, FileStream file, PEReader pe, MetadataReader metadata)
    {
        Path = path;
        _file = file;
        _pe = pe;
        var definition = metadata.GetAssemblyDefinition();
        AssemblyName = metadata.GetString(definition.Name);
        AssemblyVersion = definition.Version;
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            _resources[metadata.GetString(resource.Name)] = resource;
        }
    }

    /// <summary>The assembly file.</summary>
    public string Path { get; }

    /// <summary>The assembly's simple name from its metadata.</summary>
    public string AssemblyName { get; }

    /// <summary>The assembly's version from its metadata.</summary>
    public Version AssemblyVersion { get; }

    /// <summary>Names of the manifest resources.</summary>
    public IEnumerable<string> ResourceNames => _resources.Keys;

    /// <summary>Opens <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming the file when it is not a .NET assembly.</summary>
    public static ManifestResourceFile Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        PEReader? pe = null;
        try
        {
            pe = new PEReader(file, PEStreamOptions.LeaveOpen);
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is null)
                throw new InvalidDataException($"'{path}' is not a .NET assembly (no CLI header).");
            var metadata = pe.GetMetadataReader();
            if (!metadata.IsAssembly)
                throw new InvalidDataException($"'{path}' is a .NET module without an assembly manifest.");
            return new ManifestResourceFile(path, file, pe, metadata);
        }
        catch (BadImageFormatException e)
        {
            pe?.Dispose();
            file.Dispose();
            throw new InvalidDataException($"'{path}' is not a readable .NET assembly: {e.Message}", e);
        }
        catch
        {
            pe?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A read-only stream over the bytes of resource <paramref name="name"/>, valid until this object is disposed;
    /// null when the assembly has no such resource. Throws <see cref="InvalidDataException"/> when the resource is
    /// stored in another file or its length runs past its section.
    /// </summary>
    public unsafe Stream? OpenResource(string name)
    {
        if (!_resources.TryGetValue(name, out var resource)) return null;
        if (!resource.Implementation.IsNil)
            throw new InvalidDataException($"'{Path}': resource '{name}' lives in another file, not in the assembly itself.");
        var directory = _pe.PEHeaders.CorHeader!.ResourcesDirectory;
        if (resource.Offset < 0 || resource.Offset > directory.Size - sizeof(int))
            throw new InvalidDataException($"'{Path}': resource '{name}' starts outside the resources directory.");
        PEMemoryBlock block;
        try
        {
            block = _pe.GetSectionData(checked(directory.RelativeVirtualAddress + (int)resource.Offset));
        }
        catch (BadImageFormatException e)
        {
            throw new InvalidDataException($"'{Path}': resource '{name}' cannot be located: {e.Message}", e);
        }
        if (block.Length < sizeof(int))
            throw new InvalidDataException($"'{Path}': resource '{name}' lies outside every section.");
        int length = *(int*)block.Pointer;
        if (!BitConverter.IsLittleEndian) length = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(length);
        if (length < 0 || length > block.Length - sizeof(int) || length > directory.Size - resource.Offset - sizeof(int))
            throw new InvalidDataException(
                $"'{Path}': resource '{name}' claims {length} bytes, more than its section holds (the file is truncated or corrupt).");
        return new UnmanagedMemoryStream(block.Pointer + sizeof(int), length);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _pe.Dispose();
        _file.Dispose();
    }
}
