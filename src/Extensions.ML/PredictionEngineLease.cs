using Microsoft.ML;

namespace MlNetIso.Extensions.ML;

/// <summary>
/// A prediction engine rented from a <see cref="PackagedPredictionEnginePool{TData, TPrediction}"/> for one caller: use it
/// on one thread, then dispose the lease to give it back. The model version it runs on stays loaded until then, even if
/// the pool reloads the file meanwhile.
/// </summary>
public sealed class PredictionEngineLease<TData, TPrediction> : IDisposable where TData : class where TPrediction : class, new()
{
    private PackagedModel<TData, TPrediction>? _model;

    internal PredictionEngineLease(PackagedModel<TData, TPrediction> model)
    {
        _model = model;
        try
        {
            Engine = model.TakeEngine();
        }
        catch
        {
            model.Release();
            throw;
        }
    }

    /// <summary>The engine; not thread-safe, like every ML.NET prediction engine.</summary>
    public PredictionEngine<TData, TPrediction> Engine { get; }

    /// <summary>The version of the model this engine runs (1 for the first load, one more per reload).</summary>
    public int ModelVersion => (_model ?? throw new ObjectDisposedException(nameof(PredictionEngineLease<TData, TPrediction>))).Version;

    /// <summary>Predicts <paramref name="example"/> (a new output object each call).</summary>
    public TPrediction Predict(TData example)
    {
        ObjectDisposedException.ThrowIf(_model is null, this);
        return Engine.Predict(example);
    }

    /// <summary>Gives the engine back to its model version and drops the lease's reference to it.</summary>
    public void Dispose()
    {
        var model = Interlocked.Exchange(ref _model, null);
        if (model is null) return;
        model.ReturnEngine(Engine);
        model.Release();
    }
}
