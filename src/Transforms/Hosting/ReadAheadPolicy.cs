namespace MlNetIso.Transforms.Hosting;

/// <summary>How <see cref="MappedDataView"/> feeds a mapper's computed columns.</summary>
internal enum ReadAheadPolicy
{
    /// <summary>Row by row; the view shuffles when its source can, and splits into parallel cursor sets.</summary>
    None,

    /// <summary>
    /// A block of rows at a time through a read-ahead cursor when the rows come in their stored order; a shuffled
    /// cursor (its source can shuffle and one was asked for) computes row by row. One cursor per set.
    /// </summary>
    InStoredOrder,

    /// <summary>
    /// Always a block at a time: the view does not shuffle (<c>CanShuffle</c> is false and a requested shuffle is
    /// ignored, as the IDataView contract allows), so every cursor can read ahead. One cursor per set.
    /// </summary>
    Always,
}
