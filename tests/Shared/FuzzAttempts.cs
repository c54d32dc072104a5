namespace MlNetIso.Tests;

/// <summary>
/// How many attempts each property-based fuzz test makes: its CI default (sized so that all the fuzz tests together
/// stay well within a minute), or <c>MLNETISO_FUZZ_RUNS</c> for a long local run.
/// </summary>
internal static class FuzzAttempts
{
    /// <summary>Attempts per property: <c>MLNETISO_FUZZ_RUNS</c> when it is a positive number, else <paramref name="ciDefault"/>.</summary>
    public static int Count(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("MLNETISO_FUZZ_RUNS"), out var n) && n > 0 ? n : ciDefault;
}
