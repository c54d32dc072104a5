namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// Collects the inputs of the rows a cursor stands on, one <see cref="Read"/> per row, for <see cref="BlockValues{TReader}"/>
/// to compute in one go.
/// </summary>
internal interface IRowBlockReader
{
    /// <summary>Rows collected and not yet computed.</summary>
    int Count { get; }

    /// <summary>Reads (and checks) the input of the row the cursor stands on now.</summary>
    void Read();

    /// <summary>Drops the collected rows.</summary>
    void Clear();
}
