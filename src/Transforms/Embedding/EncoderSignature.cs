using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// The inputs and the output of an exported encoder, detected from ONNX Runtime's session metadata:
/// <c>input_ids</c> (required), <c>attention_mask</c> and <c>token_type_ids</c> (optional), int64 or int32;
/// the output is a pooled <c>sentence_embedding</c> [batch, d] if present, else <c>last_hidden_state</c>
/// [batch, sequence, d] (or the first rank-3 float output), else the first rank-2 float output (pooler-like).
/// </summary>
internal sealed record EncoderSignature(
    string IdsInput, TensorElementType IdsType,
    string? MaskInput, TensorElementType MaskType,
    string? TypeIdsInput, TensorElementType TypeIdsType,
    string Output, bool OutputIsPooled, int Dimension)
{
    public const string InputIdsName = "input_ids";
    public const string AttentionMaskName = "attention_mask";
    public const string TokenTypeIdsName = "token_type_ids";
    public const string SentenceEmbeddingName = "sentence_embedding";
    public const string LastHiddenStateName = "last_hidden_state";

    /// <summary>Reads the signature; the message of every failure names the model and lists what it has.</summary>
    public static EncoderSignature Detect(InferenceSession session, string modelName)
    {
        var inputs = session.InputMetadata;
        string Describe() =>
            $"inputs [{string.Join(", ", inputs.Keys)}], outputs [{string.Join(", ", session.OutputMetadata.Keys)}]";

        foreach (var name in inputs.Keys)
            if (name is not (InputIdsName or AttentionMaskName or TokenTypeIdsName))
                throw new InvalidDataException(
                    $"Encoder model '{modelName}' has input '{name}', which the embedding transform cannot feed " +
                    $"(supported: {InputIdsName}, {AttentionMaskName}, {TokenTypeIdsName}); it has {Describe()}.");
        if (!inputs.ContainsKey(InputIdsName))
            throw new InvalidDataException($"Encoder model '{modelName}' has no '{InputIdsName}' input; it has {Describe()}.");

        TensorElementType TypeOf(string name)
        {
            var meta = inputs[name];
            if (meta.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR || meta.Dimensions.Length != 2 ||
                meta.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32))
                throw new InvalidDataException(
                    $"Encoder model '{modelName}': input '{name}' must be an int64 or int32 tensor [batch, sequence], " +
                    $"found {meta.ElementDataType} of rank {meta.Dimensions.Length}.");
            return meta.ElementDataType;
        }

        var idsType = TypeOf(InputIdsName);
        var maskType = inputs.ContainsKey(AttentionMaskName) ? TypeOf(AttentionMaskName) : TensorElementType.Int64;
        var typeIdsType = inputs.ContainsKey(TokenTypeIdsName) ? TypeOf(TokenTypeIdsName) : TensorElementType.Int64;

        var (output, pooled) = ChooseOutput(session, modelName, Describe);
        var dims = session.OutputMetadata[output].Dimensions;
        return new EncoderSignature(
            InputIdsName, idsType,
            inputs.ContainsKey(AttentionMaskName) ? AttentionMaskName : null, maskType,
            inputs.ContainsKey(TokenTypeIdsName) ? TokenTypeIdsName : null, typeIdsType,
            output, pooled, dims[^1]);
    }

    private static (string Name, bool Pooled) ChooseOutput(InferenceSession session, string modelName, Func<string> describe)
    {
        var floats = session.OutputMetadata
            .Where(kv => kv.Value.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && kv.Value.ElementDataType == TensorElementType.Float)
            .ToList();
        bool Has(string name, int rank) => floats.Any(kv => kv.Key == name && kv.Value.Dimensions.Length == rank);

        if (Has(SentenceEmbeddingName, 2)) return (SentenceEmbeddingName, true);
        if (Has(LastHiddenStateName, 3)) return (LastHiddenStateName, false);
        var states = floats.FirstOrDefault(kv => kv.Value.Dimensions.Length == 3);
        if (states.Key is not null) return (states.Key, false);
        var pooled = floats.FirstOrDefault(kv => kv.Value.Dimensions.Length == 2);
        if (pooled.Key is not null) return (pooled.Key, true);
        throw new InvalidDataException(
            $"Encoder model '{modelName}' has no float output of shape [batch, sequence, d] or [batch, d]; it has {describe()}.");
    }
}
