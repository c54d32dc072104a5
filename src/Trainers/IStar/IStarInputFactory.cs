namespace MlNetIso.Trainers.IStar;

/// <summary>Picks the input adapter of the mode selected by the options.</summary>
internal static class IStarInputFactory
{
    /// <summary>Head-only input for a feature column; fine-tune input for a text column.</summary>
    public static IStarInput Create(IStarOptions options) =>
        options.FeatureColumnName is { Length: > 0 } feature
            ? new HeadOnlyInput(feature)
            : throw new ArgumentException("Fine-tune mode is not available in this build.", nameof(options));
}
