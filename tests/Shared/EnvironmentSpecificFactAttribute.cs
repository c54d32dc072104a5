namespace MlNetIso.Tests;

/// <summary>
/// A fact that runs only where its environment is present and otherwise shows as <em>skipped</em>, with the reason, in
/// the test results (after ML.NET's test attribute of the same name): <see cref="FactAttribute.Skip"/> is set while xunit
/// discovers the test, so a missing dataset never turns into a test that returns early and passes.
/// </summary>
public abstract class EnvironmentSpecificFactAttribute : FactAttribute
{
    /// <summary>Skips the test with <paramref name="skipMessage"/> when <paramref name="environmentPresent"/> is false.</summary>
    protected EnvironmentSpecificFactAttribute(bool environmentPresent, string skipMessage)
    {
        if (!environmentPresent) Skip = skipMessage;
    }
}
