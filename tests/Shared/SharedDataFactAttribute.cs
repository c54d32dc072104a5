namespace MlNetIso.Tests;

/// <summary>
/// A fact that needs one file of the shared datasets (<see cref="TestPaths.SharedData"/>): it shows as skipped, naming the
/// file, where the datasets are absent (a clean clone without ../shared beside it; docs/datasets.md). Read the file in the test with
/// <see cref="TestPaths.RequireSharedFile"/>.
/// </summary>
/// <param name="relativePath">The file below the shared data folder, '/'-separated, e.g. "glove-twitter-25d-12k/glove.txt".</param>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute(string relativePath) : EnvironmentSpecificFactAttribute(
    TestPaths.SharedFile(relativePath.Split('/')) is not null,
    $"Shared dataset file {relativePath} not found (set MLNETISO_DATA or place ../shared/data beside the checkout).");
