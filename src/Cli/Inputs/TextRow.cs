namespace MlNetIso.Cli.Inputs;

/// <summary>One row of a <see cref="TextTable"/>: its 1-based row number as the user counts it, the text, and the label and id when asked for.</summary>
internal readonly record struct TextRow(int Number, string Text, string? Label, string? Id);
