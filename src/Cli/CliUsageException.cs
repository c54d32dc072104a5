namespace MlNetIso.Cli;

/// <summary>A mistake in the command line; the message tells the user what to fix (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
