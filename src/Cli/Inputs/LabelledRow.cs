namespace MlNetIso.Cli.Inputs;

/// <summary>A text and its class, as the classifier verbs (<c>train</c>, <c>sweep</c>) load them into ML.NET.</summary>
internal sealed class LabelledRow
{
    public string Text { get; set; } = "";

    public string Label { get; set; } = "";
}
