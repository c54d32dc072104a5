using System.Reflection;

namespace MlNetIso.Cli.Verbs;

/// <summary>Finds the verbs: every concrete <see cref="Verb"/> subclass in this assembly, in <see cref="Verb.Order"/>.</summary>
internal static class VerbCatalog
{
    private static readonly Type[] Types = typeof(Verb).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Verb)) && !t.IsAbstract)
        .ToArray();

    /// <summary>A fresh instance of every verb.</summary>
    public static IReadOnlyList<Verb> Create() =>
        Types.Select(t => (Verb)Activator.CreateInstance(t, nonPublic: true)!).OrderBy(v => v.Order).ThenBy(v => v.Name, StringComparer.Ordinal).ToList();
}
