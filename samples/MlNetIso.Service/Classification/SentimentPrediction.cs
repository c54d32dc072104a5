namespace MlNetIso.Service.Classification;

/// <summary>The binary I-STAR model's output columns: the margin s = logit₁ − logit₀, σ(s), and s &gt; 0.</summary>
public sealed class SentimentPrediction
{
    public bool PredictedLabel { get; set; }

    public float Score { get; set; }

    public float Probability { get; set; }
}
