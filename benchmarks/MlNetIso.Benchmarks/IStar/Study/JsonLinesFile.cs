using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>
/// The study's results, one JSON object per line. Each append rewrites the file through a temporary file beside it
/// (write, flush to disk, rename), so a crash mid-write leaves the previous complete file.
/// </summary>
internal static class JsonLinesFile
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Every record in <paramref name="path"/> (none when the file does not exist).</summary>
    public static List<IStarStudyRecord> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var records = new List<IStarStudyRecord>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                records.Add(JsonSerializer.Deserialize<IStarStudyRecord>(text, Json)
                    ?? throw new InvalidDataException($"{path}, line {line}: null record."));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}, line {line}: not a study record ({e.Message}).", e);
            }
        }
        return records;
    }

    /// <summary>Appends <paramref name="record"/> as one line, atomically.</summary>
    public static void Append(string path, IStarStudyRecord record)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (File.Exists(full))
                using (var existing = File.OpenRead(full)) existing.CopyTo(stream);
            var line = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, Json) + "\n");
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
    }
}
