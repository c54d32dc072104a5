using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlNetIso.Tests;

/// <summary>Edits the entries of a model package in memory, the way a hostile or careless user would.</summary>
internal static class PackageEditor
{
    /// <summary>The package's entries (name → uncompressed bytes), in zip order.</summary>
    public static List<(string Name, byte[] Bytes)> Entries(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        return zip.Entries.Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, m.ToArray());
        }).ToList();
    }

    /// <summary>A zip of <paramref name="entries"/>, each compressed with <paramref name="level"/>.</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> entries, CompressionLevel level = CompressionLevel.Fastest)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name, level).Open();
                s.Write(bytes);
            }
        return output.ToArray();
    }

    /// <summary>The package with the entry ending in <paramref name="suffix"/> replaced by <paramref name="edit"/> of its bytes.</summary>
    public static byte[] Edit(byte[] package, string suffix, Func<byte[], byte[]> edit) =>
        Zip(Entries(package).Select(e => e.Name.EndsWith(suffix, StringComparison.Ordinal) ? (e.Name, edit(e.Bytes)) : e));

    /// <summary>The package with the UTF-8 text entry ending in <paramref name="suffix"/> edited.</summary>
    public static byte[] EditText(byte[] package, string suffix, Func<string, string> edit) =>
        Edit(package, suffix, b => Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(b))));

    /// <summary>
    /// Sets the first property called <paramref name="name"/> (depth first) of a JSON text to <paramref name="value"/>,
    /// given as JSON (e.g. <c>0</c>, <c>null</c> or <c>"x"</c>).
    /// </summary>
    public static string SetJson(string json, string name, string value)
    {
        var root = JsonNode.Parse(json)!;
        Assert.True(Set(root), $"'{name}' not found in {json}");
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        bool Set(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o when o.ContainsKey(name):
                    o[name] = JsonNode.Parse(value);
                    return true;
                case JsonObject o:
                    return o.Any(p => Set(p.Value));
                case JsonArray a:
                    return a.Any(Set);
                default:
                    return false;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> on a worker and fails the test if it has not finished within <paramref name="limit"/>.</summary>
    public static Exception? Within(TimeSpan limit, Action action)
    {
        var task = Task.Factory.StartNew(() => Record.Exception(action), CancellationToken.None, TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Assert.True(task.Wait(limit), $"the attempt did not finish within {limit.TotalSeconds:0} s (a hang)");
        return task.Result;
    }
}
