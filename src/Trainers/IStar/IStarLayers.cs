namespace MlNetIso.Trainers.IStar;

/// <summary>Which encoder layers' token states form the I-STAR points in fine-tune mode.</summary>
public enum IStarLayers
{
    /// <summary>The union of every transformer layer's token states (excluding the embedding output), as in the paper.</summary>
    All,

    /// <summary>Only the last transformer layer's token states.</summary>
    Last,
}
