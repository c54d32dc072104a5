using System.Text.Json;

namespace MlNetIso.Benchmarks.Python;

/// <summary>What a reference script printed.</summary>
/// <param name="ExitCode">Process exit code.</param>
/// <param name="Results">The parsed <c>RESULT</c> objects, in order.</param>
/// <param name="BlasLines">The <c># …</c> lines describing the BLAS in use.</param>
/// <param name="Error">Standard error.</param>
internal sealed record PythonRun(int ExitCode, IReadOnlyList<JsonElement> Results, IReadOnlyList<string> BlasLines, string Error)
{
    /// <summary>The results, or an exception carrying the script's error output when it failed.</summary>
    public IReadOnlyList<JsonElement> Checked(string script) =>
        ExitCode == 0 && Results.Count > 0
            ? Results
            : throw new InvalidOperationException($"{script} failed (exit {ExitCode}): {Error.Trim()}");
}
