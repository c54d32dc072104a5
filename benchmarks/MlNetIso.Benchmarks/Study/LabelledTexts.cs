namespace MlNetIso.Benchmarks.Study;

/// <summary>A labelled text set: class index per text (0-based into <see cref="ClassNames"/>), and an optional official test split.</summary>
/// <param name="Texts">The texts.</param>
/// <param name="Labels">Class index of every text.</param>
/// <param name="ClassNames">Name of every class.</param>
/// <param name="IsTest">True for texts of the dataset's own test split; null when the dataset has none.</param>
internal sealed record LabelledTexts(TextSet Texts, int[] Labels, string[] ClassNames, bool[]? IsTest = null);
