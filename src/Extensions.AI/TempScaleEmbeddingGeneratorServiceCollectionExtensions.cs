using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlNetIso.Extensions.AI;

// Registration methods live in Microsoft.Extensions.DependencyInjection, as Microsoft.Extensions.AI's own
// AddEmbeddingGenerator does, so `services.AddTempScaleEmbeddingGenerator(...)` needs no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="TempScaleEmbeddingGenerator"/> as the application's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.</summary>
public static class TempScaleEmbeddingGeneratorServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="TempScaleEmbeddingGenerator"/> configured through the options pattern
    /// (<see cref="TempScaleEmbeddingGeneratorOptions"/>: <paramref name="configure"/>, and anything bound with
    /// <c>services.Configure&lt;TempScaleEmbeddingGeneratorOptions&gt;(...)</c>), and <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>
    /// of <c>string</c> → <c>Embedding&lt;float&gt;</c> over it. The encoder loads when the generator is first resolved;
    /// invalid options fail there with the option's name.
    /// </summary>
    /// <returns>The Microsoft.Extensions.AI builder of the registered pipeline, for <c>.UseLogging()</c>, <c>.UseOpenTelemetry()</c> and the like.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddTempScaleEmbeddingGenerator(this IServiceCollection services,
        Action<TempScaleEmbeddingGeneratorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TempScaleEmbeddingGeneratorOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TempScaleEmbeddingGeneratorOptions>, TempScaleEmbeddingGeneratorOptionsValidator>());
        services.TryAddSingleton(sp => new TempScaleEmbeddingGenerator(
            sp.GetRequiredService<IOptions<TempScaleEmbeddingGeneratorOptions>>().Value,
            sp.GetService<ILogger<TempScaleEmbeddingGenerator>>()));
        return services.AddEmbeddingGenerator(sp => sp.GetRequiredService<TempScaleEmbeddingGenerator>());
    }
}
