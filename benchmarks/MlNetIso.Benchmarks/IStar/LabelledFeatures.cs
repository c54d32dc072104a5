using Microsoft.ML.Data;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>A benchmark row: a text label and a 384-d feature vector (the width of the common sentence encoders).</summary>
internal sealed class LabelledFeatures
{
    public string Label { get; set; } = "";

    [VectorType(384)]
    public float[] Features { get; set; } = [];
}
