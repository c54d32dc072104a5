using System.Reflection;
using Microsoft.ML;

namespace MlNetIso.Trainers.Tests.IStar;

/// <summary>Reads output-column annotations and estimator shapes, to compare I-STAR's columns with ML.NET's own trainers'.</summary>
internal static class ScorerAnnotations
{
    /// <summary>The estimator-time shape of <paramref name="schema"/>.</summary>
    public static SchemaShape CreateShape(DataViewSchema schema)
    {
        // SchemaShape.Create(DataViewSchema) is internal in ML.NET; tests reach it the way ML.NET's own tests do.
        var create = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [typeof(DataViewSchema)])!;
        return (SchemaShape)create.Invoke(null, [schema])!;
    }

    /// <summary>Asserts that the named columns have the same kind, item type, key-ness and annotation names in both shapes.</summary>
    public static void AssertSameShapes(SchemaShape expected, SchemaShape actual, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var t = expected.Single(c => c.Name == name);
            var o = actual.Single(c => c.Name == name);
            Assert.Equal((t.Kind, t.ItemType, t.IsKey), (o.Kind, o.ItemType, o.IsKey));
            Assert.Equal(t.Annotations.Select(a => a.Name).Order(), o.Annotations.Select(a => a.Name).Order());
        }
    }

    /// <summary>"kind=value" of each annotation, in order.</summary>
    public static string Describe(DataViewSchema.Column column) =>
        string.Join(' ', column.Annotations.Schema.Select(a => $"{a.Name}={AnnotationValue(column.Annotations, a)}"));

    /// <summary>Annotation kind → "type=value", for comparing with ML.NET's own scorer.</summary>
    public static Dictionary<string, string> Of(DataViewSchema.Column column) =>
        column.Annotations.Schema.ToDictionary(a => a.Name, a => $"{a.Type}={AnnotationValue(column.Annotations, a)}");

    private static string AnnotationValue(DataViewSchema.Annotations annotations, DataViewSchema.Column kind)
    {
        if (kind.Type.RawType == typeof(uint)) { uint v = 0; annotations.GetValue(kind.Name, ref v); return v.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        if (kind.Type.RawType == typeof(bool)) { bool v = false; annotations.GetValue(kind.Name, ref v); return v.ToString(); }
        if (kind.Type.RawType == typeof(ReadOnlyMemory<char>)) { ReadOnlyMemory<char> v = default; annotations.GetValue(kind.Name, ref v); return v.ToString(); }
        return $"({kind.Type})";
    }
}
