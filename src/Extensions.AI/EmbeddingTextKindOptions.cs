using Microsoft.Extensions.AI;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Extensions.AI;

/// <summary>Says in an <see cref="EmbeddingGenerationOptions"/> whether the texts are queries or documents (<see cref="TempScaleEmbeddingGenerator.TextKindPropertyName"/>).</summary>
public static class EmbeddingTextKindOptions
{
    /// <summary>
    /// A copy of <paramref name="options"/> (or new options) whose <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>
    /// say the texts are of <paramref name="kind"/>: <c>input_type = "query"</c> or <c>"document"</c>.
    /// </summary>
    public static EmbeddingGenerationOptions WithTextKind(this EmbeddingGenerationOptions? options, EmbeddingTextKind kind)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown text kind.");
        var copy = options?.Clone() ?? new EmbeddingGenerationOptions();
        copy.AdditionalProperties ??= [];
        copy.AdditionalProperties[TempScaleEmbeddingGenerator.TextKindPropertyName] = kind == EmbeddingTextKind.Query ? "query" : "document";
        return copy;
    }
}
