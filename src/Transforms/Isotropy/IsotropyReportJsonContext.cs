using System.Text.Json.Serialization;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// The source-generated System.Text.Json contract of <see cref="IsotropyReport"/>: camelCase names, indented, enums as
/// strings, NaN and ±Infinity as named literals (a measure that was not taken is NaN).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(IsotropyReport))]
internal sealed partial class IsotropyReportJsonContext : JsonSerializerContext;
