using Microsoft.Extensions.Options;

namespace MlNetIso.Extensions.AI;

/// <summary>Options-pattern validation of <see cref="TempScaleEmbeddingGeneratorOptions"/> (the rules of its <c>Validate</c>).</summary>
internal sealed class TempScaleEmbeddingGeneratorOptionsValidator : IValidateOptions<TempScaleEmbeddingGeneratorOptions>
{
    public ValidateOptionsResult Validate(string? name, TempScaleEmbeddingGeneratorOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
