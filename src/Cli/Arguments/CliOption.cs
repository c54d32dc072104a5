using System.CommandLine;
using System.Globalization;

namespace MlNetIso.Cli.Arguments;

/// <summary>
/// Creates the tool's options so that every one of them shows its default in <c>--help</c> as
/// <c>[default: …]</c>: a constant default through System.CommandLine's own <c>DefaultValueFactory</c>; a default that
/// depends on other options or on the model, described in words, appended to the description in the same form.
/// </summary>
internal static class CliOption
{
    /// <summary>An option with a constant default, which help shows.</summary>
    public static Option<T> Create<T>(string name, string description, T defaultValue, params string[] aliases) =>
        new(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>An option whose absence means "decide from the context"; help shows <paramref name="defaultText"/>.</summary>
    public static Option<T?> Optional<T>(string name, string description, string defaultText, params string[] aliases) =>
        new(name, aliases) { Description = WithDefault(description, defaultText) };

    /// <summary>A repeatable option (<c>--name a --name b</c>, or <c>--name a,b</c>); help shows <paramref name="defaultText"/>.</summary>
    public static Option<string[]> List(string name, string description, string defaultText, params string[] aliases)
    {
        var option = new Option<string[]>(name, aliases)
        {
            Description = WithDefault(description, defaultText),
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray(),
        };
        return option;
    }

    /// <summary>A switch (absent = off).</summary>
    public static Option<bool> Switch(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description };

    /// <summary>The description followed by <c>[default: text]</c>, as help prints constant defaults.</summary>
    private static string WithDefault(string description, string defaultText) => $"{description} [default: {defaultText}]";

    /// <summary>
    /// <c>--threads</c>: TorchSharp's intra-op threads for I-STAR training, unset for the library's measured default,
    /// else an integer in [1, 4096].
    /// </summary>
    public static Option<int?> TorchThreads()
    {
        var option = Optional<int?>("--threads", "TorchSharp threads for training.", "the library's measured default (1; see docs/benchmarks.md)");
        option.Validators.Add(r =>
        {
            try
            {
                if (r.GetValueOrDefault<int?>() is { } n && (n < 1 || n > 4096)) r.AddError($"--threads must be an integer in [1, 4096], got {n}.");
            }
            catch (InvalidOperationException)
            {
                // the parse error says what is wrong
            }
        });
        option.HelpName = "n";
        return option;
    }

    /// <summary>Adds a check that an integer option lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.Validators.Add(r =>
        {
            if (!TryValue<int>(r, out var v)) return; // the parse error says what is wrong
            if (v < min || v > max)
                r.AddError($"{option.Name} must be an integer in [{min}, {max}], got {v}.");
        });
        return option;
    }

    /// <summary>Adds a check that a number option is finite and lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<double> InRange(this Option<double> option, double min, double max)
    {
        option.Validators.Add(r =>
        {
            if (!TryValue<double>(r, out var v)) return;
            if (!double.IsFinite(v) || v < min || v > max)
                r.AddError($"{option.Name} must be a number in [{Format(min)}, {Format(max)}], got {Format(v)}.");
        });
        return option;
    }

    private static bool TryValue<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>Parses every element of a list option as a number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double[] Numbers(Option<string[]> option, IReadOnlyList<string> values, double min, double max)
    {
        var result = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]) ||
                !double.IsFinite(result[i]) || result[i] < min || result[i] > max)
                throw new CliUsageException($"{option.Name}: '{values[i]}' is not a number in [{Format(min)}, {Format(max)}].");
        }
        return result;
    }

    /// <summary>Invariant, shortest round-trip text of a default value.</summary>
    public static string Format<T>(T value) => value switch
    {
        null => "none",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "none",
    };
}
