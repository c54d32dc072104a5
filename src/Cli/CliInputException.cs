namespace MlNetIso.Cli;

/// <summary>An input file that cannot be used; the message names the file (exit code 3).</summary>
internal sealed class CliInputException(string message, Exception? inner = null) : Exception(message, inner);
