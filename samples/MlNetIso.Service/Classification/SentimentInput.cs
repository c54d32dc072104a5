namespace MlNetIso.Service.Classification;

/// <summary>The classifier's input row: one sentence.</summary>
public sealed class SentimentInput
{
    public string Text { get; set; } = "";
}
