using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>The rows <c>rows[0], rows[1], …</c> of other examples, as examples of their own (a cross-validation fold).</summary>
internal sealed class SubsetExamples : TrainingExamples
{
    private readonly TrainingExamples inner;
    private readonly int[] rows;

    /// <summary>Views <paramref name="rows"/> (indices into <paramref name="inner"/>) as rows 0, 1, ….</summary>
    public SubsetExamples(TrainingExamples inner, int[] rows)
    {
        this.inner = inner;
        this.rows = rows;
    }

    /// <inheritdoc />
    public override int Count => rows.Length;

    /// <inheritdoc />
    public override IStarBatch MakeBatch(ReadOnlySpan<int> rows, Device device)
    {
        var mapped = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) mapped[i] = this.rows[rows[i]];
        return inner.MakeBatch(mapped, device);
    }
}
