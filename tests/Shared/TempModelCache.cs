using System.Diagnostics;
using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Tests;

/// <summary>
/// A temporary built-in encoder cache for a test class or collection: each encoder is materialised once, on first
/// use, with the time that took; the folder (about 90 MB per real encoder) is deleted on dispose.
/// </summary>
public sealed class TempModelCache : IDisposable
{
    private readonly Dictionary<string, (string Folder, TimeSpan Took)> _entries = new(StringComparer.OrdinalIgnoreCase);

    public string Root { get; } = TestPaths.NewTempDir();

    /// <summary>The materialised folder of the built-in encoder <paramref name="name"/>.</summary>
    public string Folder(string name) => Entry(name).Folder;

    /// <summary>How long materialising <paramref name="name"/> into the empty cache took.</summary>
    public TimeSpan Extraction(string name) => Entry(name).Took;

    private (string Folder, TimeSpan Took) Entry(string name)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                var clock = Stopwatch.StartNew();
                var folder = BuiltInEncoders.Materialize(name, Root);
                _entries[name] = entry = (folder, clock.Elapsed);
            }
            return entry;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
