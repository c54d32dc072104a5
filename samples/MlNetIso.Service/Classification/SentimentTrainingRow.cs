namespace MlNetIso.Service.Classification;

/// <summary>A training sentence and whether it is positive.</summary>
public sealed class SentimentTrainingRow
{
    public string Text { get; set; } = "";

    public bool Label { get; set; }
}
