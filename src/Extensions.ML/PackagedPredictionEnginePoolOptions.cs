namespace MlNetIso.Extensions.ML;

/// <summary>Settings of a <see cref="PackagedPredictionEnginePool{TData, TPrediction}"/>.</summary>
public sealed class PackagedPredictionEnginePoolOptions
{
    /// <summary>The model file, written by <c>mlContext.Model.SavePackaged</c>. Required.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// Whether to reload the model when the file changes, as the file system reports it (default true). A file that cannot
    /// be loaded (half-written, corrupt) is reported and the current model kept.
    /// </summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>
    /// Also check the file's time stamp and length at this interval, for file systems that do not report changes (some
    /// network and container mounts); null (the default) relies on change notifications alone.
    /// </summary>
    public TimeSpan? PollingInterval { get; set; }

    /// <summary>Quiet time after the last change notification before the file is read (default 500 ms): writers report several changes per save.</summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Idle prediction engines kept per model (default twice the processor count); more are created under load and dropped when returned.</summary>
    public int MaximumIdleEngines { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
            throw new ArgumentException("PackagedPredictionEnginePoolOptions.ModelPath must name a model file saved with SavePackaged.", nameof(ModelPath));
        if (PollingInterval is { } poll && poll <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(PollingInterval), poll, "PackagedPredictionEnginePoolOptions.PollingInterval must be positive (or null).");
        if (ReloadDelay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ReloadDelay), ReloadDelay, "PackagedPredictionEnginePoolOptions.ReloadDelay must not be negative.");
        if (MaximumIdleEngines < 0)
            throw new ArgumentOutOfRangeException(nameof(MaximumIdleEngines), MaximumIdleEngines,
                "PackagedPredictionEnginePoolOptions.MaximumIdleEngines must not be negative.");
    }
}
