using Google.Protobuf;
using MlNetIso.Onnx.Proto;

namespace MlNetIso.Onnx;

/// <summary>
/// Parses ONNX models from bytes or files. Parsing allows messages up to the 2 GiB protobuf limit and deep nesting
/// (recursion limit <see cref="RecursionLimit"/>); files are checked so that external data stays in their folder.
/// </summary>
internal static class OnnxModelFile
{
    /// <summary>Protobuf nesting depth allowed while parsing (subgraphs nest messages).</summary>
    public const int RecursionLimit = 1000;

    /// <summary>Parses a model; corrupt bytes raise <see cref="InvalidDataException"/> naming <paramref name="source"/>.</summary>
    public static ModelProto Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ModelProto model;
        try
        {
            var input = CodedInputStream.CreateWithLimits(new MemoryStream(bytes, writable: false), int.MaxValue, RecursionLimit);
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"ONNX model '{source}' is not a valid ONNX protobuf: {e.Message}", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"ONNX model '{source}' has no graph nodes; it is not a usable ONNX model.");
        return model;
    }

    /// <summary>
    /// Reads a model file and validates its external data (see <see cref="OnnxExternalData"/>). Throws
    /// <see cref="FileNotFoundException"/> when the file is missing and <see cref="InvalidDataException"/> naming the file
    /// (and tensor) when it is corrupt or refers outside its folder.
    /// </summary>
    public static ModelProto Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        var model = Parse(File.ReadAllBytes(path), path);
        OnnxExternalData.ValidateAll(model, FolderOf(path), path);
        return model;
    }

    /// <summary>The folder holding <paramref name="path"/> (relative external-data locations resolve against it).</summary>
    public static string FolderOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;
}
