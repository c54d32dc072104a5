using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using MlNetIso.Extensions.ML;

// Registration methods live in Microsoft.Extensions.DependencyInjection, as Microsoft.Extensions.ML's AddPredictionEnginePool does.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="PackagedPredictionEnginePool{TData, TPrediction}"/> for a model saved with <c>SavePackaged</c>.</summary>
public static class PackagedPredictionEnginePoolServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PackagedPredictionEnginePool{TData, TPrediction}"/> over the model file
    /// <paramref name="modelPath"/>, reloaded when the file changes. Options: <paramref name="configure"/>, on the named
    /// options <see cref="OptionsName{TData, TPrediction}"/>. An <see cref="MLContext"/> registered in the container is
    /// used, else a new one. The model loads when the pool is first resolved; a missing or unreadable file fails there,
    /// naming the file.
    /// </summary>
    public static IServiceCollection AddPackagedPredictionEnginePool<TData, TPrediction>(this IServiceCollection services, string modelPath,
        Action<PackagedPredictionEnginePoolOptions>? configure = null) where TData : class where TPrediction : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var name = OptionsName<TData, TPrediction>();
        var options = services.AddOptions<PackagedPredictionEnginePoolOptions>(name).Configure(o => o.ModelPath = modelPath);
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton(sp => new PackagedPredictionEnginePool<TData, TPrediction>(
            sp.GetRequiredService<IOptionsMonitor<PackagedPredictionEnginePoolOptions>>().Get(name),
            sp.GetService<MLContext>(),
            sp.GetService<ILogger<PackagedPredictionEnginePool<TData, TPrediction>>>()));
        return services;
    }

    /// <summary>The name of the options of the pool for <typeparamref name="TData"/> → <typeparamref name="TPrediction"/>.</summary>
    public static string OptionsName<TData, TPrediction>() => $"{typeof(TData).FullName}->{typeof(TPrediction).FullName}";
}
