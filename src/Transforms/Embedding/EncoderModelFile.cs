using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.Proto;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Reads an encoder's <c>model.onnx</c> into one self-contained model: tensors stored as ONNX external data are read
/// from their side files and inlined (a location outside the model's folder is refused by the ONNX toolkit), so the
/// model can be run from bytes and persisted without its folder. Also finds facts the transform checks.
/// </summary>
internal static class EncoderModelFile
{
    /// <summary>
    /// Loads <paramref name="modelPath"/> with the ONNX toolkit (which refuses external data outside the model's
    /// folder) and inlines every external tensor; every error names the file.
    /// </summary>
    public static ModelProto Read(string modelPath)
    {
        var full = Path.GetFullPath(modelPath);
        var model = OnnxModelFile.Load(full);
        if (model.Graph.Input.Count == 0 || model.Graph.Output.Count == 0)
            throw new InvalidDataException($"ONNX model '{full}' has no graph inputs or outputs.");
        var folder = OnnxModelFile.FolderOf(full);
        foreach (var tensor in OnnxExternalData.AllTensors(model.Graph))
        {
            if (tensor.DataLocation != TensorProto.Types.DataLocation.External) continue;
            var reference = OnnxExternalData.Describe(tensor, folder, full);
            using var data = File.OpenRead(reference.FullPath);
            var length = reference.Length ?? data.Length - reference.Offset;
            if (length > int.MaxValue)
                throw new InvalidDataException(
                    $"ONNX model '{full}': tensor '{tensor.Name}' holds {length} bytes of external data; at most 2 GiB can be inlined.");
            var bytes = new byte[length];
            data.Position = reference.Offset;
            data.ReadExactly(bytes);
            tensor.RawData = ByteString.CopyFrom(bytes);
            tensor.ExternalData.Clear();
            tensor.DataLocation = TensorProto.Types.DataLocation.Default;
        }
        return model;
    }

    /// <summary>
    /// Rows of the word-embedding table: the initializer gathered by <c>input_ids</c> (through Cast/Unsqueeze/Reshape),
    /// or the word-embedding input of a fused <c>EmbedLayerNormalization</c>. Null when not found.
    /// </summary>
    public static long? WordEmbeddingRows(ModelProto model, string idsInputName)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, t => t, StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal) { idsInputName };
        var frontier = new Queue<string>([idsInputName]);
        while (frontier.Count > 0)
        {
            var name = frontier.Dequeue();
            foreach (var node in graph.Node)
            {
                if (!node.Input.Contains(name)) continue;
                switch (node.OpType)
                {
                    case "Gather" when node.Input.Count > 1 && node.Input[1] == name
                                       && initializers.TryGetValue(node.Input[0], out var table) && table.Dims.Count == 2:
                        return table.Dims[0];
                    case "EmbedLayerNormalization" when node.Input.Count > 2 && node.Input[0] == name
                                                        && initializers.TryGetValue(node.Input[2], out var words) && words.Dims.Count == 2:
                        return words.Dims[0];
                    case "Cast" or "Unsqueeze" or "Reshape" or "Squeeze" or "Identity" or "Flatten" when node.Input[0] == name:
                        foreach (var o in node.Output)
                            if (reached.Add(o)) frontier.Enqueue(o);
                        break;
                }
            }
        }
        return null;
    }

    /// <summary>The <c>max_position_embeddings</c> entry of the model's metadata, if any.</summary>
    public static int? MaxPositionsFromMetadata(ModelProto model)
    {
        foreach (var kv in model.MetadataProps)
            if (kv.Key is "max_position_embeddings" or BertOnnxWriter.MaxPositionEmbeddingsKey && int.TryParse(kv.Value, out var n) && n > 2)
                return n;
        return null;
    }
}
