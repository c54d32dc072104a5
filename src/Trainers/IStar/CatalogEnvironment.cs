using Microsoft.ML.Runtime;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// Reaches the <see cref="IHostEnvironment"/> behind an ML.NET catalog. ML.NET keeps <c>CatalogUtils.GetEnvironment</c>
/// internal, so this reads the explicitly implemented <c>IInternalCatalog.Environment</c> property by reflection
/// (mlnet-conventions.md §1.5); logging through it reaches <c>mlContext.Log</c>.
/// </summary>
internal static class CatalogEnvironment
{
    /// <summary>The environment of <paramref name="catalog"/>; throws when the catalog does not expose one.</summary>
    public static IHostEnvironment Of(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var contract = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.Name == "IInternalCatalog");
        var property = contract?.GetProperty("Environment");
        return property?.GetValue(catalog) as IHostEnvironment
            ?? throw new InvalidOperationException(
                $"Cannot reach the ML.NET environment of catalog type {catalog.GetType().FullName}; this ML.NET version is not supported.");
    }
}
