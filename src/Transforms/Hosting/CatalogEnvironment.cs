using System.Reflection;
using Microsoft.ML.Runtime;

namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// Gets the <see cref="IHostEnvironment"/> behind an ML.NET catalog, so a third-party component logs to
/// <c>mlContext.Log</c> and honours the context's settings. ML.NET keeps it behind the internal interface
/// <c>IInternalCatalog.Environment</c> (its own <c>CatalogUtils.GetEnvironment</c> is internal), so it is read by
/// reflection on that interface (docs/mlnet-integration.md, "The environment behind a catalog").
/// </summary>
internal static class CatalogEnvironment
{
    /// <summary>The catalog's environment.</summary>
    /// <exception cref="InvalidOperationException">This ML.NET version does not expose the environment that way.</exception>
    public static IHostEnvironment Get(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var internalCatalog = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.Name == "IInternalCatalog");
        var property = internalCatalog?.GetProperty("Environment", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return property?.GetValue(catalog) as IHostEnvironment
            ?? throw new InvalidOperationException(
                $"Cannot reach the ML.NET environment of {catalog.GetType().FullName}: IInternalCatalog.Environment was not found (unsupported Microsoft.ML version).");
    }
}
