namespace MlNetIso.Benchmarks.IStar;

/// <summary>A benchmark row: a text label and a text.</summary>
internal sealed class LabelledTextRow
{
    public string Label { get; set; } = "";

    public string Text { get; set; } = "";
}
