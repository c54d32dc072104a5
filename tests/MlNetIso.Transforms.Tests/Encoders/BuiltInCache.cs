using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Transforms.Tests.Encoders;

/// <summary>The test classes that share one <see cref="BuiltInCache"/>.</summary>
[CollectionDefinition(Name)]
public sealed class BuiltInCacheCollection : ICollectionFixture<BuiltInCache>
{
    public const string Name = "built-in encoders";
}

/// <summary>
/// One temporary model cache for the test collection, with the two real encoders materialised once (about 180 MB,
/// deleted when the collection is done) and the time each extraction took.
/// </summary>
public sealed class BuiltInCache : IDisposable
{
    private readonly Lazy<(string Folder, TimeSpan Took)> _miniLm;
    private readonly Lazy<(string Folder, TimeSpan Took)> _arctic;

    public BuiltInCache()
    {
        Root = TestPaths.NewTempDir();
        _miniLm = new(() => Timed(BuiltInEncoders.AllMiniLmL6V2.Name));
        _arctic = new(() => Timed(BuiltInEncoders.SnowflakeArcticEmbedXs.Name));
    }

    public string Root { get; }

    public string MiniLm => _miniLm.Value.Folder;

    public string Arctic => _arctic.Value.Folder;

    public TimeSpan MiniLmExtraction => _miniLm.Value.Took;

    public TimeSpan ArcticExtraction => _arctic.Value.Took;

    private (string, TimeSpan) Timed(string name)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var folder = BuiltInEncoders.Materialize(name, Root);
        return (folder, clock.Elapsed);
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
