namespace MlNetIso.Cli;

/// <summary>A mistake in the command line; the message tells the user what to fix (exit code <see cref="ExitCodes.Usage"/>).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
