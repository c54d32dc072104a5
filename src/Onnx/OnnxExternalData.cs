using MlNetIso.Onnx.Proto;

namespace MlNetIso.Onnx;

/// <summary>
/// Resolves and checks the external-data reference of a tensor (<c>data_location = EXTERNAL</c> with
/// <c>location</c>/<c>offset</c>/<c>length</c> entries, ONNX IR spec). A location must be a relative path that stays
/// inside the model's folder; absolute paths and <c>..</c> segments are rejected, so a model file cannot make us
/// read arbitrary files; a data file that is a symbolic link to a file outside the folder is rejected too.
/// </summary>
internal static class OnnxExternalData
{
    /// <summary>A checked external-data reference.</summary>
    public sealed record Reference(string Location, string FullPath, long Offset, long? Length);

    /// <summary>Checks every external tensor of <paramref name="model"/> against <paramref name="modelFolder"/>.</summary>
    public static IReadOnlyList<Reference> ValidateAll(ModelProto model, string modelFolder, string source)
    {
        var refs = new List<Reference>();
        if (model.Graph is not null)
            foreach (var t in AllTensors(model.Graph))
                if (t.DataLocation == TensorProto.Types.DataLocation.External)
                    refs.Add(Describe(t, modelFolder, source));
        return refs;
    }

    /// <summary>True when any tensor of the model keeps its data in an external file.</summary>
    public static bool Any(ModelProto model) =>
        model.Graph is not null && AllTensors(model.Graph).Any(t => t.DataLocation == TensorProto.Types.DataLocation.External);

    /// <summary>Resolves one external tensor; throws <see cref="InvalidDataException"/> naming file and tensor.</summary>
    public static Reference Describe(TensorProto t, string modelFolder, string source)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var e in t.ExternalData)
        {
            switch (e.Key)
            {
                case "location": location = e.Value; break;
                case "offset": offset = ParseNumber(e.Value, "offset", t, source); break;
                case "length": length = ParseNumber(e.Value, "length", t, source); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw Bad(source, t, "has data_location EXTERNAL but no 'location' entry");
        if (Path.IsPathRooted(location) || location.Contains(':'))
            throw Bad(source, t, $"points to the absolute path '{location}'; external data must sit in the model's folder");
        var segments = location.Split('/', '\\');
        if (segments.Any(s => s == ".."))
            throw Bad(source, t, $"points outside the model's folder ('{location}' contains '..')");
        var folder = Path.GetFullPath(modelFolder);
        var full = Path.GetFullPath(Path.Combine(folder, location));
        var folderWithSep = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        if (!full.StartsWith(folderWithSep, StringComparison.Ordinal))
            throw Bad(source, t, $"resolves to '{full}', outside the model's folder '{folder}'");
        if (!File.Exists(full))
            throw Bad(source, t, $"refers to the missing file '{full}'");
        if (File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target
            && !Path.GetFullPath(target.FullName).StartsWith(folderWithSep, StringComparison.Ordinal))
            throw Bad(source, t, $"refers to '{full}', a link to '{target.FullName}' outside the model's folder '{folder}'");
        var size = new FileInfo(full).Length;
        if (offset > size || (length is { } len && offset + len > size))
            throw Bad(source, t, $"reads past the end of '{full}' (offset {offset}, length {length}, file size {size})");
        return new Reference(location, full, offset, length);
    }

    /// <summary>Every tensor stored in a graph: initializers and tensor attributes, subgraphs included.</summary>
    public static IEnumerable<TensorProto> AllTensors(GraphProto graph)
    {
        foreach (var t in graph.Initializer) yield return t;
        foreach (var node in graph.Node)
        foreach (var a in node.Attribute)
        {
            if (a.T is not null) yield return a.T;
            foreach (var t in a.Tensors) yield return t;
            var subgraphs = a.G is null ? a.Graphs : a.Graphs.Prepend(a.G);
            foreach (var g in subgraphs)
            foreach (var t in AllTensors(g))
                yield return t;
        }
    }

    private static long ParseNumber(string text, string key, TensorProto t, string source) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Bad(source, t, $"has a non-numeric external-data {key} '{text}'");

    private static InvalidDataException Bad(string source, TensorProto t, string what) =>
        new($"ONNX model '{source}': tensor '{t.Name}' {what}.");
}
