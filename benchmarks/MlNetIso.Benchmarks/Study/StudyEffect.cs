using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// One headline effect of the TempScale study (e.g. "accuracy at τ* − accuracy at τ = 1, rt-polarity, MiniLM"), saved as
/// JSON beside the reports so <c>tempscale-summary</c> can draw all of them in one forest plot.
/// </summary>
internal sealed record StudyEffect(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("measure")] string Measure,
    [property: JsonPropertyName("chosen_tau")] float? ChosenTemperature,
    [property: JsonPropertyName("estimate")] double Estimate,
    [property: JsonPropertyName("lower")] double Lower,
    [property: JsonPropertyName("upper")] double Upper,
    [property: JsonPropertyName("n")] int Count)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>An effect from a bootstrap interval; <paramref name="chosen"/> is null when τ* differs between folds.</summary>
    public static StudyEffect From(string model, string task, string measure, float? chosen, BootstrapInterval interval, int count) =>
        new(model, task, measure, chosen, interval.Estimate, interval.Lower, interval.Upper, count);

    /// <summary>The effect's interval.</summary>
    [JsonIgnore]
    public BootstrapInterval Interval => new(Estimate, Lower, Upper, 0);

    /// <summary>Writes effects to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyList<StudyEffect> effects) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(effects, Json));

    /// <summary>Reads the effects of every <c>effects-*.json</c> under <paramref name="folder"/>.</summary>
    public static IReadOnlyList<StudyEffect> LoadAll(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "effects-*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .SelectMany(f => JsonSerializer.Deserialize<List<StudyEffect>>(File.ReadAllText(f), Json)
                                 ?? throw new InvalidDataException($"'{f}' holds no effects.")).ToList()
            : [];
}
