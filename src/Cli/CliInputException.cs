namespace MlNetIso.Cli;

/// <summary>
/// An input whose content cannot be used (empty, malformed, inconsistent); the message names the file and, where it
/// helps, the row (exit code <see cref="ExitCodes.InputData"/>).
/// </summary>
internal sealed class CliInputException(string message, Exception? inner = null) : Exception(message, inner);
