namespace MlNetIso.Cli.Inputs;

/// <summary>A text and whether it has the <c>--positive</c> label: the Boolean label of ML.NET's binary trainers.</summary>
internal sealed class BinaryLabelledRow
{
    public string Text { get; set; } = "";

    public bool Label { get; set; }
}
