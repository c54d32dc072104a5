using System.Text.Json;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Cli.IO;

/// <summary>
/// An output written in one long pass that survives interruption: rows go to <c>TARGET.partial</c>, the settings that
/// produced them to <c>TARGET.partial.json</c>; <see cref="Complete"/> flushes the partial file to disk and renames it
/// over the target, so the target is never half-written and an older target stays intact until then. A later run with
/// <c>--resume</c> continues the partial file if its settings are the same.
/// </summary>
internal sealed class PartialOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public PartialOutput(string target)
    {
        Target = Path.GetFullPath(target);
        PartialPath = Target + ".partial";
        SettingsPath = Target + ".partial.json";
    }

    /// <summary>The final output file.</summary>
    public string Target { get; }

    /// <summary>Where the rows are written until the run completes.</summary>
    public string PartialPath { get; }

    /// <summary>The settings of the run that wrote <see cref="PartialPath"/>.</summary>
    public string SettingsPath { get; }

    /// <summary>True when an interrupted run left rows behind.</summary>
    public bool Exists => File.Exists(PartialPath);

    /// <summary>Starts a new partial file (replacing none: the caller checked) and records <paramref name="settings"/>.</summary>
    public FileStream Create(IReadOnlyDictionary<string, string> settings)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Target)!);
        AtomicFile.WriteAllText(SettingsPath, JsonSerializer.Serialize(settings, Json));
        return new FileStream(PartialPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
    }

    /// <summary>
    /// Opens the partial file to continue it, after checking that it was written with the same
    /// <paramref name="settings"/>; a difference is a <see cref="CliUsageException"/> naming the settings that differ.
    /// </summary>
    public FileStream Continue(IReadOnlyDictionary<string, string> settings)
    {
        Dictionary<string, string>? recorded = null;
        try
        {
            recorded = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(SettingsPath));
        }
        catch (Exception e) when (e is JsonException or FileNotFoundException)
        {
        }
        if (recorded is null)
            throw new CliInputException(
                $"'{Arguments.DisplayPath.Of(PartialPath)}' has no readable settings file ('{Path.GetFileName(SettingsPath)}'), so it is not " +
                "known what produced it; delete it to start over.");
        var differences = settings.Keys.Union(recorded.Keys).Order(StringComparer.Ordinal)
            .Where(k => settings.GetValueOrDefault(k) != recorded.GetValueOrDefault(k))
            .Select(k => $"{k} was '{recorded.GetValueOrDefault(k) ?? "unset"}', now '{settings.GetValueOrDefault(k) ?? "unset"}'")
            .ToList();
        if (differences.Count > 0)
            throw new CliUsageException(
                $"--resume: '{Arguments.DisplayPath.Of(PartialPath)}' was written with other settings ({string.Join("; ", differences)}); " +
                "run with the same options, or delete it to start over.");
        return new FileStream(PartialPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
    }

    /// <summary>Flushes and closes <paramref name="writer"/>, renames the partial file over the target and removes the settings file.</summary>
    public void Complete(EmbeddingWriter writer)
    {
        writer.Flush();
        writer.Dispose();
        File.Move(PartialPath, Target, overwrite: true);
        File.Delete(SettingsPath);
    }
}
