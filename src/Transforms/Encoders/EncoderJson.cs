using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// Reading and writing the small JSON files of an encoder folder: a missing file reads as null, a file that is not a
/// JSON object fails naming the file, and writes are atomic.
/// </summary>
internal static class EncoderJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The object in <paramref name="path"/>, or null when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or does not hold an object; the message names it.</exception>
    public static JsonObject? ReadObject(string path) => Read<JsonObject>(path, "a JSON object");

    /// <summary>The JSON array in <paramref name="path"/>, or null when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or does not hold an array; the message names it.</exception>
    public static JsonArray? ReadArray(string path) => Read<JsonArray>(path, "a JSON array");

    private static T? Read<T>(string path, string what) where T : JsonNode
    {
        if (!File.Exists(path)) return null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
        return node as T ?? throw new InvalidDataException($"'{path}' must hold {what}.");
    }

    /// <summary>Writes <paramref name="node"/> indented to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, JsonNode node) => AtomicFile.WriteAllText(path, node.ToJsonString(Indented));

    /// <summary>The Boolean <paramref name="name"/> of <paramref name="json"/>; null when absent or not a Boolean.</summary>
    public static bool? Bool(JsonObject? json, string name) =>
        json?[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    /// <summary>The integer <paramref name="name"/> of <paramref name="json"/>; null when absent, not an integer or outside Int32.</summary>
    public static int? Int(JsonObject? json, string name) =>
        json?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : null;

    /// <summary>The string <paramref name="name"/> of <paramref name="json"/>; null when absent or not a string.</summary>
    public static string? String(JsonObject? json, string name) =>
        json?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
