namespace MlNetIso.Transforms.Tests.Encoders;

/// <summary>The test classes that share one <see cref="TempModelCache"/> with the real encoders (materialised once).</summary>
[CollectionDefinition(Name)]
public sealed class BuiltInCacheCollection : ICollectionFixture<TempModelCache>
{
    public const string Name = "built-in encoders";
}
