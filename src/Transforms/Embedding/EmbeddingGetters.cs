using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Embedding;

/// <summary>Getter plumbing shared by the embedding cursor and the single-row mapper.</summary>
internal static class EmbeddingGetters
{
    /// <summary>
    /// Returns <paramref name="getter"/> typed as <typeparamref name="TValue"/>; throws naming the column when the
    /// column was not requested or the caller asks for a type other than <see cref="VBuffer{T}"/> of <see cref="float"/>.
    /// </summary>
    public static ValueGetter<TValue> Typed<TValue>(DataViewSchema.Column column, bool active, ValueGetter<VBuffer<float>> getter)
    {
        if (!active)
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor or row was created.");
        if (typeof(TValue) != typeof(VBuffer<float>))
            throw new InvalidOperationException(
                $"Column '{column.Name}' holds VBuffer<Single> values; a getter of {typeof(TValue).Name} was asked for.");
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    /// <summary>Copies a d-vector into <paramref name="value"/>, reusing its buffer.</summary>
    public static void Write(ReadOnlySpan<float> embedding, ref VBuffer<float> value)
    {
        var editor = VBufferEditor.Create(ref value, embedding.Length);
        embedding.CopyTo(editor.Values);
        value = editor.Commit();
    }
}
