using Microsoft.ML;

namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// Computed values produced a block of rows at a time, for models that are much faster on a batch than row by row (an
/// ONNX encoder, a TorchSharp network). The values of the current row are looked up by its position in the last block.
/// </summary>
/// <remarks>
/// <para>
/// Without a read-ahead cursor (<c>PredictionEngine</c>, row-to-row mappers, shuffled cursors) each row is computed on its
/// own. With one (<see cref="MappedDataView"/> over rows in stored order), the first row whose values are asked for
/// starts a block: the read-ahead cursor, which visits the same rows in the same order, skips forward to that row and
/// reads up to <c>blockRows</c> rows from there, and the block is computed in one call. Rows whose values are never read
/// are passed over without running the model.
/// </para>
/// <para>
/// When the read-ahead cursor fails on a row later in the block (a bad input value), the rows before it are computed one
/// by one from the main cursor instead, so every good row still gets its values and the bad row fails with its own
/// message.
/// </para>
/// </remarks>
/// <typeparam name="TReader">The collector of the model's inputs.</typeparam>
internal abstract class BlockValues<TReader> : ComputedValues
    where TReader : class, IRowBlockReader
{
    private readonly DataViewRow _current;
    private readonly DataViewRowCursor? _readAhead;
    private readonly int _blockRows;
    private readonly string _owner;
    private TReader? _rowReader;
    private TReader? _blockReader;
    private long _blockStart = -1;
    private int _blockCount;
    private long _failedRow = -1;

    /// <summary>
    /// Values for the rows <paramref name="current"/> stands on, in blocks of up to <paramref name="blockRows"/> read through
    /// <paramref name="readAhead"/> when given. <paramref name="owner"/> names the transform in errors.
    /// </summary>
    protected BlockValues(DataViewRow current, DataViewRowCursor? readAhead, int blockRows, string owner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        _current = current;
        _readAhead = readAhead;
        _blockRows = readAhead is null ? 1 : blockRows;
        _owner = owner;
    }

    /// <summary>The most rows one block holds (1 without a read-ahead cursor): size result buffers for this many rows.</summary>
    protected int BlockCapacity => _blockRows;

    /// <summary>A reader that collects the inputs of <paramref name="row"/>'s current row at each <see cref="IRowBlockReader.Read"/>.</summary>
    protected abstract TReader CreateReader(DataViewRow row);

    /// <summary>
    /// Computes the values of the <see cref="IRowBlockReader.Count"/> rows collected in <paramref name="reader"/> into
    /// slots 0, 1, … of the subclass's result buffers, and empties the reader.
    /// </summary>
    protected abstract void Compute(TReader reader);

    /// <summary>The slot of the current row in the result buffers, computing its block first when needed.</summary>
    /// <exception cref="InvalidOperationException">The cursor is not on a row, or the source does not repeat its row order.</exception>
    protected int CurrentSlot()
    {
        long position = _current.Position;
        if (position < 0)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        if (position < _blockStart || position >= _blockStart + _blockCount)
        {
            int rows = _readAhead is null || position <= _failedRow ? ComputeCurrentRow() : ComputeBlockFrom(position, _readAhead);
            _blockStart = position;
            _blockCount = rows;
        }
        return (int)(position - _blockStart);
    }

    private int ComputeCurrentRow()
    {
        var reader = _rowReader ??= CreateReader(_current);
        try
        {
            reader.Read();
        }
        catch
        {
            reader.Clear();
            throw;
        }
        Compute(reader);
        return 1;
    }

    private int ComputeBlockFrom(long position, DataViewRowCursor ahead)
    {
        var reader = _blockReader ??= CreateReader(ahead);
        CatchUp(ahead, position);
        try
        {
            do reader.Read();
            while (reader.Count < _blockRows && ahead.MoveNext());
        }
        catch
        {
            reader.Clear();
            // The row the read-ahead cursor failed on is later in the block: compute the rows before it one by one
            // from the main cursor, so each good row still gets its values and the bad row reports its own error.
            if (ahead.Position <= position) throw;
            _failedRow = ahead.Position;
            return ComputeCurrentRow();
        }
        int rows = reader.Count;
        Compute(reader);
        return rows;
    }

    /// <summary>Moves <paramref name="ahead"/> forward to <paramref name="position"/>, skipping rows without reading them.</summary>
    private void CatchUp(DataViewRowCursor ahead, long position)
    {
        if (ahead.Position > position)
            throw new InvalidOperationException(
                $"The {_owner} read-ahead cursor is at row {ahead.Position}, past row {position}: cursors cannot move backwards, "
                + "and the source must return rows in the same order for every cursor.");
        while (ahead.Position < position)
            if (!ahead.MoveNext())
                throw new InvalidOperationException(
                    $"The input data yielded fewer rows to the {_owner} read-ahead cursor than to the main cursor (row {position}); "
                    + "the source must return rows in the same order for every cursor.");
    }
}
