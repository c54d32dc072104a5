using System.Globalization;

namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>
/// One sweepable option of <see cref="IStarOptions"/>, read from its <c>Microsoft.ML.SearchSpace</c> attribute, with the
/// mapping of a feature-space coordinate u ∈ [0, 1] to a value that ML.NET's search space uses: a range maps u linearly
/// (<c>min + u·(max − min)</c>) or, with <see cref="LogScale"/>, geometrically (<c>min·(max/min)^u</c>), rounded for an
/// integer option; a choice of k values (a Boolean is the choice false, true) takes value number <c>⌊u·k⌋</c> (the last
/// for u = 1).
/// </summary>
/// <param name="Name">The option's property name, e.g. <c>Lambda</c>.</param>
/// <param name="Kind">Range, choice or Boolean.</param>
/// <param name="ValueType">The property's type: <see cref="double"/>, <see cref="float"/>, <see cref="int"/> or <see cref="bool"/>.</param>
/// <param name="Minimum">Range: the lower end (null otherwise).</param>
/// <param name="Maximum">Range: the upper end (null otherwise).</param>
/// <param name="LogScale">Range: whether the range is searched on a logarithmic scale.</param>
/// <param name="Choices">Choice and Boolean: the values, in order (empty for a range).</param>
/// <param name="Default">The attribute's initial or default value (null when it has none).</param>
public sealed record IStarSearchParameter(string Name, IStarSearchParameterKind Kind, Type ValueType, double? Minimum, double? Maximum,
    bool LogScale, IReadOnlyList<object> Choices, object? Default)
{
    /// <summary>The value at feature-space coordinate <paramref name="u"/> ∈ [0, 1], of type <see cref="ValueType"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="u"/> is outside [0, 1] or not a number.</exception>
    public object FromFeatureSpace(double u)
    {
        if (!(u >= 0 && u <= 1))
            throw new ArgumentOutOfRangeException(nameof(u), u, $"Feature-space coordinate of {Name} must lie in [0, 1].");
        if (Kind != IStarSearchParameterKind.Range)
            return Choices[Math.Min((int)Math.Floor(u * Choices.Count), Choices.Count - 1)];
        double min = Minimum!.Value, max = Maximum!.Value;
        // The ends map exactly (exp(log min) need not round back to min).
        double value = u == 0 ? min : u == 1 ? max
            : LogScale ? Math.Exp(Math.Log(min) + u * (Math.Log(max) - Math.Log(min))) : min + u * (max - min);
        return Convert(Math.Clamp(value, min, max));
    }

    /// <summary>
    /// Checks that <paramref name="value"/> is a value of this parameter (inside the range, or one of the choices) and
    /// returns it as <see cref="ValueType"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The value lies outside the range, is not one of the choices, or is not an integer
    /// for an integer option; the message names the option and what it accepts.</exception>
    internal object Check(double value)
    {
        if (Kind == IStarSearchParameterKind.Range)
        {
            if (!(value >= Minimum!.Value && value <= Maximum!.Value))
                throw new ArgumentException(F($"{Name} = {value} lies outside its range [{Minimum}, {Maximum}] (the [Range] attribute of IStarOptions.{Name})."));
            if (ValueType == typeof(int) && value != Math.Round(value))
                throw new ArgumentException(F($"{Name} = {value} is not an integer (IStarOptions.{Name} is an int)."));
            return Convert(value);
        }
        foreach (var choice in Choices)
            if (ToDouble(choice) == value) return choice;
        throw new ArgumentException(F($"{Name} = {value} is not one of its choices ({string.Join(", ", Choices.Select(Format))})") +
            (Kind == IStarSearchParameterKind.Boolean ? " (give false as 0 and true as 1)." : "."));
    }

    /// <summary>A value as a double: numbers as they are, false as 0 and true as 1.</summary>
    internal static double ToDouble(object value) => value switch
    {
        bool b => b ? 1 : 0,
        _ => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    /// <summary>A value as invariant text (e.g. <c>-0.5</c>, <c>64</c>, <c>true</c>).</summary>
    internal static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private object Convert(double value)
    {
        // Boxed one by one: a conditional expression would widen the int and the float to double before boxing.
        if (ValueType == typeof(int)) return (int)Math.Round(value);
        if (ValueType == typeof(float)) return (float)value;
        return value;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
