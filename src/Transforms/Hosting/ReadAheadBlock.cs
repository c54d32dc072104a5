using Microsoft.ML;

namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// Block reading through a read-ahead cursor: a second cursor over the same source, in the same row order as the main
/// cursor, that a lazy transform advances to the main cursor's row and then reads up to a block of rows from, so the
/// block can go through a model in one call (the TempScale embedding cursor and I-STAR scoring both work this way).
/// </summary>
internal static class ReadAheadBlock
{
    /// <summary>
    /// Moves <paramref name="ahead"/> forward to <paramref name="position"/> (skipping rows without reading them), then
    /// calls <paramref name="readRow"/> on that row and on each following row until <paramref name="rowsRead"/> reports
    /// <paramref name="limit"/> rows or the cursor ends. <paramref name="owner"/> names the transform in errors: when
    /// <paramref name="ahead"/> is already past <paramref name="position"/> or ends before it, the source did not repeat
    /// its row order for the second cursor.
    /// </summary>
    public static void Read(DataViewRowCursor ahead, long position, int limit, Action readRow, Func<int> rowsRead, string owner)
    {
        if (ahead.Position > position)
            throw new InvalidOperationException(
                $"The {owner} read-ahead cursor is at row {ahead.Position}, past row {position}: cursors cannot move backwards, "
                + "and the source must return rows in the same order for every cursor.");
        while (ahead.Position < position)
            if (!ahead.MoveNext())
                throw new InvalidOperationException(
                    $"The input data yielded fewer rows to the {owner} read-ahead cursor than to the main cursor (row {position}); "
                    + "the source must return rows in the same order for every cursor.");
        do readRow();
        while (rowsRead() < limit && ahead.MoveNext());
    }
}
