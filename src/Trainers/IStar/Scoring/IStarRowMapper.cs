using Microsoft.ML;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>
/// The row mapping of a trained I-STAR model: every input column passes through and the model's output columns
/// (<see cref="ClassifierOutputColumns"/>) are appended, computed lazily by <see cref="IStarRowScores"/>. Under
/// <see cref="MappedDataView"/> rows in stored order are scored <see cref="IStarRowScores.BlockRows"/> at a time; a
/// shuffled cursor, <c>PredictionEngine</c> and transformer chains score row by row.
/// </summary>
internal sealed class IStarRowMapper : RowMapperBase
{
    private readonly IStarTransformer model;

    /// <summary>Binds <paramref name="model"/> to <paramref name="inputSchema"/> (throws naming the input column when unusable).</summary>
    public IStarRowMapper(IStarTransformer model, DataViewSchema inputSchema)
        : base(inputSchema, model.GetOutputSchema(inputSchema))
    {
        this.model = model;
        ComputedInputs = [model.Input.CheckSchema(inputSchema).Index];
    }

    /// <inheritdoc />
    public override IReadOnlyList<int> ComputedInputs { get; }

    /// <inheritdoc />
    public override ReadAheadPolicy ReadAhead => ReadAheadPolicy.InStoredOrder;

    /// <inheritdoc />
    protected override ComputedValues Bind(DataViewRow input, DataViewRowCursor? readAhead) =>
        new IStarRowScores(model, InputSchema.Count, input, readAhead);
}
