using Microsoft.ML;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>
/// The network outputs for the current row of a cursor (the K logits and their softmax), computed once per row
/// position however many output columns read them.
/// </summary>
/// <remarks>
/// Without a read-ahead cursor (<c>PredictionEngine</c>, row-to-row mappers) every row runs the network alone. With
/// one (<see cref="IStarScoredDataView"/>), the first row whose scores are asked for starts a block: the read-ahead
/// cursor, which visits the same rows in the same order, catches up to that row and reads up to
/// <see cref="BlockRows"/> rows from there, and the block goes through the network as one batch. Rows whose scores
/// are never read are passed over without running the network. When a block meets a bad input value (NaN feature,
/// empty text), the rows before it are scored one by one from the main cursor instead, so the bad row alone fails,
/// with a message naming it.
/// </remarks>
internal sealed class IStarRowScores
{
    /// <summary>Rows scored together when a read-ahead cursor is available.</summary>
    public const int BlockRows = 64;

    private readonly IStarTransformer model;
    private readonly DataViewRow current;
    private readonly DataViewRowCursor? readAhead;
    private readonly InputRowReader? blockReader;
    private readonly int classes;
    private readonly float[] blockLogits;
    private readonly float[] blockProbabilities;
    private InputRowReader? rowReader;
    private long blockStart = -1;
    private int blockCount;
    private long failedBlockRow = -1;

    /// <summary>
    /// Scores the rows <paramref name="current"/> stands on with <paramref name="model"/>, in blocks read through
    /// <paramref name="readAhead"/> (a second cursor over the same rows, in the same order) when given.
    /// </summary>
    public IStarRowScores(IStarTransformer model, DataViewRow current, DataViewRowCursor? readAhead = null)
    {
        this.model = model;
        this.current = current;
        this.readAhead = readAhead;
        if (readAhead is null) rowReader = model.Input.CreateRowReader(current);
        else blockReader = model.Input.CreateRowReader(readAhead);
        classes = model.Labels.Count;
        int rows = readAhead is null ? 1 : BlockRows;
        blockLogits = new float[rows * classes];
        blockProbabilities = new float[rows * classes];
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
        long position = current.Position;
        if (position < 0) throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        if (position < blockStart || position >= blockStart + blockCount)
        {
            if (readAhead is null || position <= failedBlockRow) ScoreCurrentRow(position);
            else ScoreBlockFrom(position);
        }
        int offset = (int)(position - blockStart) * classes;
        Array.Copy(blockLogits, offset, Logits, 0, classes);
        Array.Copy(blockProbabilities, offset, Probabilities, 0, classes);
    }

    private void ScoreCurrentRow(long position)
    {
        rowReader ??= model.Input.CreateRowReader(current);
        try
        {
            rowReader.Read();
        }
        catch
        {
            rowReader.Clear();
            throw;
        }
        Score(rowReader, position);
    }

    private void ScoreBlockFrom(long position)
    {
        try
        {
            ReadBlockFrom(position);
        }
        catch
        {
            blockReader!.Clear();
            // The row the read-ahead cursor failed on is later in the block: score the rows before it one by one
            // from the main cursor, so each good row still gets its scores and the bad row reports its own error.
            if (readAhead!.Position <= position) throw;
            failedBlockRow = readAhead.Position;
            ScoreCurrentRow(position);
            return;
        }
        Score(blockReader!, position);
    }

    private void Score(InputRowReader reader, long position)
    {
        int rows = reader.Count;
        var groups = reader.Flush(model.Device);
        try
        {
            foreach (var (batch, members) in groups) model.Predict(batch, members, blockLogits, blockProbabilities);
        }
        finally
        {
            foreach (var (batch, _) in groups) batch.Dispose();
        }
        blockStart = position;
        blockCount = rows;
    }

    private void ReadBlockFrom(long position)
    {
        var reader = blockReader!;
        ReadAheadBlock.Read(readAhead!, position, BlockRows, reader.Read, () => reader.Count, "I-STAR");
    }
}
