namespace MlNetIso.Cli;

/// <summary>
/// The parsed command line: a verb followed by <c>--name value</c> options and bare <c>--flag</c> switches.
/// Unknown or repeated options are reported as <see cref="CliUsageException"/> so the user learns what to fix.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private CliArguments(string verb, Dictionary<string, string?> options)
    {
        Verb = verb;
        _options = options;
    }

    /// <summary>The first argument (report, collapse, tempscale, train, embed).</summary>
    public string Verb { get; }

    /// <summary>Parses <paramref name="args"/>; the first element is the verb.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
            throw new CliUsageException("No verb given.");
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
                throw new CliUsageException($"Unexpected argument '{a}': options look like --name value.");
            var name = a[2..];
            string? value = null;
            if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                value = args[++i];
            if (!options.TryAdd(name, value))
                throw new CliUsageException($"Option --{name} is given twice.");
        }
        return new CliArguments(args[0], options);
    }

    /// <summary>A string option, or <paramref name="fallback"/> when absent.</summary>
    public string? String(string name, string? fallback = null)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var v)) return fallback;
        return v ?? throw new CliUsageException($"Option --{name} needs a value.");
    }

    /// <summary>A required string option.</summary>
    public string Required(string name) =>
        String(name) ?? throw new CliUsageException($"Option --{name} is required.");

    /// <summary>An integer option within [min, max].</summary>
    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var s = String(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new CliUsageException($"Option --{name} must be an integer in [{min}, {max}], got '{s}'.");
        return v;
    }

    /// <summary>A floating-point option within [min, max].</summary>
    public double Double(string name, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        var s = String(name);
        if (s is null) return fallback;
        if (!double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ||
            !double.IsFinite(v) || v < min || v > max)
            throw new CliUsageException($"Option --{name} must be a number in [{min}, {max}], got '{s}'.");
        return v;
    }

    /// <summary>A comma-separated list of numbers, each within [min, max].</summary>
    public double[] Doubles(string name, double[] fallback, double min, double max)
    {
        var s = String(name);
        if (s is null) return fallback;
        var parts = s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out result[i]) ||
                !double.IsFinite(result[i]) || result[i] < min || result[i] > max)
                throw new CliUsageException($"Option --{name}: '{parts[i]}' is not a number in [{min}, {max}].");
        }
        if (result.Length == 0) throw new CliUsageException($"Option --{name} needs at least one number.");
        return result;
    }

    /// <summary>True when the bare switch <c>--name</c> is present.</summary>
    public bool Flag(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var v)) return false;
        if (v is not null) throw new CliUsageException($"Option --{name} is a switch and takes no value (got '{v}').");
        return true;
    }

    /// <summary>Throws when an option was given that the verb never asked for (a typo, usually).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new CliUsageException($"Unknown option(s) for '{Verb}': {string.Join(", ", unknown.Select(u => "--" + u))}.");
    }
}
