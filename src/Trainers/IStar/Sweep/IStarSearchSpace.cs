using System.Globalization;
using System.Reflection;
using Microsoft.ML.SearchSpace;

namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>
/// The search space of <see cref="IStarOptions"/>, built from the <c>Microsoft.ML.SearchSpace</c> attributes
/// (<c>[Range]</c>, <c>[Choice]</c>, <c>[BooleanChoice]</c>) on its public get/set properties: one
/// <see cref="IStarSearchParameter"/> per attributed property, one feature-space coordinate u ∈ [0, 1] per parameter.
/// </summary>
/// <remarks>
/// Microsoft.ML 5.0.1 ships these attributes (in Microsoft.ML.Core) but not the search-space classes that read them
/// (<c>SearchSpace&lt;T&gt;</c> is in the Microsoft.ML.SearchSpace package, which AutoML brings and which is not available
/// here). This class reads the same attributes with the same meaning (range ends, log scale, initial value, choices), so
/// an AutoML search space built from <see cref="IStarOptions"/> and this one describe the same parameters.
/// </remarks>
public sealed class IStarSearchSpace
{
    private IStarSearchSpace(IReadOnlyList<IStarSearchParameter> parameters) => Parameters = parameters;

    /// <summary>The parameters, in the order they were asked for (or declared, for all of them).</summary>
    public IReadOnlyList<IStarSearchParameter> Parameters { get; }

    /// <summary>Number of feature-space coordinates: one per parameter.</summary>
    public int FeatureSpaceDimension => Parameters.Count;

    /// <summary>
    /// The space of the attributed options named in <paramref name="names"/> (all attributed options of
    /// <see cref="IStarOptions"/> when none are named).
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a property of <see cref="IStarOptions"/>, has no search-space
    /// attribute, or is named twice; the message lists the sweepable options.</exception>
    public static IStarSearchSpace FromAttributes(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var all = typeof(IStarOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite).Select(Read).OfType<IStarSearchParameter>().ToList();
        if (names.Length == 0) return new IStarSearchSpace(all);
        var chosen = new List<IStarSearchParameter>();
        foreach (var name in names)
        {
            var parameter = all.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException(
                    $"'{name}' is not a sweepable option of IStarOptions; the options with a [Range], [Choice] or [BooleanChoice] attribute are: " +
                    $"{string.Join(", ", all.Select(p => p.Name))}.", nameof(names));
            if (chosen.Contains(parameter))
                throw new ArgumentException($"Option '{parameter.Name}' is named twice.", nameof(names));
            chosen.Add(parameter);
        }
        return new IStarSearchSpace(chosen);
    }

    /// <summary>The parameter called <paramref name="name"/> (case-insensitive), or null.</summary>
    public IStarSearchParameter? Find(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The values at feature-space point <paramref name="point"/> (one coordinate in [0, 1] per parameter).</summary>
    /// <exception cref="ArgumentException">The point has the wrong length or a coordinate outside [0, 1].</exception>
    public IReadOnlyDictionary<string, object> SampleFromFeatureSpace(IReadOnlyList<double> point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Count != Parameters.Count)
            throw new ArgumentException($"A feature-space point of this space has {Parameters.Count} coordinates, not {point.Count}.", nameof(point));
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        for (int i = 0; i < point.Count; i++) values[Parameters[i].Name] = Parameters[i].FromFeatureSpace(point[i]);
        return values;
    }

    /// <summary>
    /// A copy of <paramref name="options"/> with the properties named in <paramref name="values"/> set (each value of its
    /// property's type, as <see cref="SampleFromFeatureSpace"/> returns them); <paramref name="options"/> is not changed.
    /// </summary>
    /// <exception cref="ArgumentException">A value names an option outside this space or has the wrong type.</exception>
    public IStarOptions Apply(IStarOptions options, IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(values);
        var copy = Training.IStarOptionsValidator.Snapshot(options);
        foreach (var (name, value) in values)
        {
            var parameter = Find(name) ?? throw new ArgumentException($"'{name}' is not a parameter of this search space.", nameof(values));
            if (value is null || value.GetType() != parameter.ValueType)
                throw new ArgumentException(
                    $"Value {value ?? "null"} for {parameter.Name} must be a {parameter.ValueType.Name}, not {value?.GetType().Name ?? "null"}.", nameof(values));
            typeof(IStarOptions).GetProperty(parameter.Name)!.SetValue(copy, value);
        }
        return copy;
    }

    private static IStarSearchParameter? Read(PropertyInfo property)
    {
        var type = property.PropertyType;
        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            double min = Number(range.Min), max = Number(range.Max);
            return new IStarSearchParameter(property.Name, IStarSearchParameterKind.Range, type, min, max, range.LogBase, [],
                range.Init is null ? null : Cast(range.Init, type));
        }
        if (property.GetCustomAttribute<ChoiceAttribute>() is { } choice)
            return new IStarSearchParameter(property.Name, IStarSearchParameterKind.Choice, type, null, null, false,
                choice.Candidates.Select(c => Cast(c, type)).ToArray(), choice.DefaultValue is null ? null : Cast(choice.DefaultValue, type));
        if (property.GetCustomAttribute<BooleanChoiceAttribute>() is { } boolean)
            return new IStarSearchParameter(property.Name, IStarSearchParameterKind.Boolean, type, null, null, false,
                [false, true], boolean.DefaultValue);
        return null;
    }

    private static double Number(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static object Cast(object value, Type type) => Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
}
