using Microsoft.ML;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>
/// The network outputs for the current row of a cursor (the K logits and their softmax), computed once per row
/// position however many output columns read them, in blocks of up to <see cref="BlockRows"/> rows when a read-ahead
/// cursor is available (see <see cref="BlockValues{TReader}"/>; a bad input value, such as a NaN feature or an empty
/// text, fails on its own row with a message naming it).
/// </summary>
internal sealed class IStarRowScores : BlockValues<InputRowReader>
{
    /// <summary>Rows scored together when a read-ahead cursor is available.</summary>
    public const int BlockRows = 64;

    private readonly IStarTransformer model;
    private readonly int firstOutputIndex;
    private readonly int classes;
    private readonly float[] blockLogits;
    private readonly float[] blockProbabilities;

    /// <summary>
    /// Scores the rows <paramref name="current"/> stands on with <paramref name="model"/>, in blocks read through
    /// <paramref name="readAhead"/> (a second cursor over the same rows, in the same order) when given. The output
    /// columns start at index <paramref name="firstOutputIndex"/> of the output schema.
    /// </summary>
    public IStarRowScores(IStarTransformer model, int firstOutputIndex, DataViewRow current, DataViewRowCursor? readAhead = null)
        : base(current, readAhead, BlockRows, "I-STAR")
    {
        this.model = model;
        this.firstOutputIndex = firstOutputIndex;
        classes = model.Labels.Count;
        blockLogits = new float[BlockCapacity * classes];
        blockProbabilities = new float[BlockCapacity * classes];
        Logits = new float[classes];
        Probabilities = new float[classes];
    }

    /// <summary>The K logits of the current row (valid after <see cref="Update"/>).</summary>
    public float[] Logits { get; }

    /// <summary>softmax(logits) of the current row (valid after <see cref="Update"/>).</summary>
    public float[] Probabilities { get; }

    /// <summary>Makes <see cref="Logits"/> and <see cref="Probabilities"/> those of the current row.</summary>
    public void Update()
    {
        int offset = CurrentSlot() * classes;
        Array.Copy(blockLogits, offset, Logits, 0, classes);
        Array.Copy(blockProbabilities, offset, Probabilities, 0, classes);
    }

    /// <inheritdoc />
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
        Typed<TValue>(column, model.Outputs.CreateGetter(column.Index - firstOutputIndex, this));

    /// <inheritdoc />
    protected override InputRowReader CreateReader(DataViewRow row) => model.Input.CreateRowReader(row);

    /// <inheritdoc />
    protected override void Compute(InputRowReader reader)
    {
        var groups = reader.Flush(model.Device);
        try
        {
            foreach (var (batch, members) in groups) model.Predict(batch, members, blockLogits, blockProbabilities);
        }
        finally
        {
            foreach (var (batch, _) in groups) batch.Dispose();
        }
    }
}
