using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// The computed columns of one mapped row or cursor (see <see cref="RowMapperBase"/>): their getters, sharing whatever
/// per-row state the computation needs (buffers, the current block of results).
/// </summary>
internal abstract class ComputedValues
{
    /// <summary>The getter of computed column <paramref name="column"/> (an output-schema column).</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TValue"/> is not the column's raw type (names the column).</exception>
    public abstract ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);

    /// <summary>
    /// <paramref name="getter"/> as a <c>ValueGetter&lt;TValue&gt;</c>; throws naming <paramref name="column"/> when the caller
    /// asked for another type than the getter serves.
    /// </summary>
    protected static ValueGetter<TValue> Typed<TValue>(DataViewSchema.Column column, Delegate getter) =>
        getter as ValueGetter<TValue>
        ?? throw new InvalidOperationException(
            $"Column '{column.Name}' holds {RawTypeName(getter)} values; a getter of {typeof(TValue).Name} was asked for.");

    private static string RawTypeName(Delegate getter)
    {
        var type = getter.GetType().GetGenericArguments().Single();
        return type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>" : type.Name;
    }
}
