using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Extensions.ML;

/// <summary>
/// One loaded version of a pool's model: the transformer chain, its input schema and its idle prediction engines. It is
/// reference-counted: the pool holds one reference while the version is current and every lease holds one, so a
/// version replaced by a reload is disposed (its engines and its disposable transformers, such as ONNX Runtime sessions
/// and TorchSharp modules) only when the last prediction running on it has finished.
/// </summary>
internal sealed class PackagedModel<TData, TPrediction> where TData : class where TPrediction : class, new()
{
    private readonly MLContext _mlContext;
    private readonly ConcurrentBag<PredictionEngine<TData, TPrediction>> _idle = [];
    private readonly int _maximumIdle;
    private int _idleCount;
    private readonly Lazy<SchemaDefinition> _inputDefinition;
    private int _references = 1;

    public PackagedModel(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, int version, int maximumIdle)
    {
        _mlContext = mlContext;
        Model = model;
        InputSchema = inputSchema;
        Version = version;
        _maximumIdle = maximumIdle;
        LoadedAtUtc = DateTimeOffset.UtcNow;
        _inputDefinition = new Lazy<SchemaDefinition>(InputDefinition);
    }

    public ITransformer Model { get; }

    public DataViewSchema InputSchema { get; }

    /// <summary>1 for the first load, one more per reload.</summary>
    public int Version { get; }

    public DateTimeOffset LoadedAtUtc { get; }

    /// <summary>Takes a reference unless the version is already disposed (its count reached zero).</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return true;
        }
    }

    /// <summary>Drops a reference; the last one disposes the version.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        while (_idle.TryTake(out var engine)) engine.Dispose();
        foreach (var step in PackagedModelOperations.Flatten(Model).OfType<IDisposable>()) step.Dispose();
    }

    /// <summary>An idle engine, or a new one. The caller holds a reference.</summary>
    public PredictionEngine<TData, TPrediction> TakeEngine()
    {
        if (_idle.TryTake(out var engine))
        {
            Interlocked.Decrement(ref _idleCount);
            return engine;
        }
        // OwnsTransformer = false: ML.NET's default disposes the model with the engine, which would close the ONNX Runtime
        // sessions and TorchSharp modules every other engine of this version is still running on.
        return _mlContext.Model.CreatePredictionEngine<TData, TPrediction>(Model, new PredictionEngineOptions
        {
            IgnoreMissingColumns = true,
            InputSchemaDefinition = _inputDefinition.Value,
            OwnsTransformer = false,
        });
    }

    /// <summary>
    /// <typeparamref name="TData"/>'s columns with the saved types of those the saved input schema has (which carries the
    /// sizes of vector columns). Unlike ML.NET's schema overload, <typeparamref name="TData"/> need not have every saved
    /// column: a model is usually saved with its training schema, label included, and predicted without the label.
    /// </summary>
    private SchemaDefinition InputDefinition()
    {
        var definition = SchemaDefinition.Create(typeof(TData), SchemaDefinition.Direction.Read);
        foreach (var column in definition)
        {
            if (InputSchema.GetColumnOrNull(column.ColumnName) is { Type: VectorDataViewType saved }) column.ColumnType = saved;
        }
        return definition;
    }

    /// <summary>Keeps <paramref name="engine"/> for the next caller, or disposes it when enough are idle. The caller still holds a reference.</summary>
    public void ReturnEngine(PredictionEngine<TData, TPrediction> engine)
    {
        if (Interlocked.Increment(ref _idleCount) <= _maximumIdle)
        {
            _idle.Add(engine);
            return;
        }
        Interlocked.Decrement(ref _idleCount);
        engine.Dispose();
    }
}
