using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;

namespace MlNetIso.Extensions.ML;

/// <summary>
/// A thread-safe pool of ML.NET prediction engines over a model saved with <c>mlContext.Model.SavePackaged</c> (a
/// pipeline that may hold TempScale embeddings and I-STAR classifiers, which <c>mlContext.Model.Load</c> — and so
/// Microsoft.Extensions.ML's <c>PredictionEnginePool</c> — cannot read). Engines are not thread-safe; the pool rents each
/// to one caller at a time and keeps returned ones for reuse.
/// </summary>
/// <remarks>
/// <para>Reload: when the file changes (see <see cref="PackagedPredictionEnginePoolOptions.WatchForChanges"/> and
/// <see cref="PackagedPredictionEnginePoolOptions.PollingInterval"/>) the new file is loaded beside the current model and
/// swapped in atomically; predictions already running finish on the old model, which is disposed when the last of them
/// returns its engine. A file that cannot be loaded (half-written, corrupt, another format) leaves the current model in
/// place and is reported in <see cref="LastReloadError"/> and the log; a later change is tried again. A rewrite with the
/// same bytes (e.g. <c>touch</c>) does not reload.</para>
/// <para>Write the new model beside the old one and rename it over it, as <c>SavePackaged</c> does, so the pool never
/// sees a partial file.</para>
/// </remarks>
public sealed class PackagedPredictionEnginePool<TData, TPrediction> : IDisposable where TData : class where TPrediction : class, new()
{
    private readonly MLContext _mlContext;
    private readonly ILogger _logger;
    private readonly int _maximumIdle;
    private readonly Lock _reloadGate = new();
    private readonly ModelFileWatcher? _watcher;
    private PackagedModel<TData, TPrediction> _current;
    private (DateTime WriteTimeUtc, long Length) _loadedStamp;
    private byte[] _loadedHash;
    private Exception? _lastReloadError;
    private int _reloadFailures;
    private int _disposed;

    /// <summary>Loads the model file named by <paramref name="options"/> and starts watching it.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a model package; the message names it.</exception>
    public PackagedPredictionEnginePool(PackagedPredictionEnginePoolOptions options, MLContext? mlContext = null,
        ILogger<PackagedPredictionEnginePool<TData, TPrediction>>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _mlContext = mlContext ?? new MLContext();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _maximumIdle = options.MaximumIdleEngines;
        ModelPath = Path.GetFullPath(options.ModelPath);
        if (!File.Exists(ModelPath))
            throw new FileNotFoundException($"Model file '{ModelPath}' (PackagedPredictionEnginePoolOptions.ModelPath) does not exist.", ModelPath);

        var (stamp, bytes) = ReadFile();
        _current = Load(bytes, version: 1);
        _loadedStamp = stamp;
        _loadedHash = SHA256.HashData(bytes);
        _logger.LogInformation("Loaded model '{Path}' (version 1).", ModelPath);
        if (options.WatchForChanges || options.PollingInterval is not null)
            _watcher = new ModelFileWatcher(ModelPath, options.WatchForChanges, options.ReloadDelay, options.PollingInterval, ReloadIfChanged);
    }

    /// <summary>Full path of the model file.</summary>
    public string ModelPath { get; }

    /// <summary>The current model's version: 1 for the first load, one more per successful reload.</summary>
    public int ModelVersion => Volatile.Read(ref _current).Version;

    /// <summary>When the current model was loaded.</summary>
    public DateTimeOffset ModelLoadedAtUtc => Volatile.Read(ref _current).LoadedAtUtc;

    /// <summary>The input schema saved with the current model.</summary>
    public DataViewSchema InputSchema => Volatile.Read(ref _current).InputSchema;

    /// <summary>Why the last reload attempt failed, or null when it succeeded (or none failed).</summary>
    public Exception? LastReloadError => Volatile.Read(ref _lastReloadError);

    /// <summary>Reload attempts that failed and left the current model in place.</summary>
    public int ReloadFailures => Volatile.Read(ref _reloadFailures);

    /// <summary>The current version (tests).</summary>
    internal PackagedModel<TData, TPrediction> CurrentModel => Volatile.Read(ref _current);

    /// <summary>Rents an engine of the current model; dispose the lease to give it back.</summary>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public PredictionEngineLease<TData, TPrediction> Rent()
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var model = Volatile.Read(ref _current);
            if (model.TryAcquire()) return new PredictionEngineLease<TData, TPrediction>(model);
            // The version was swapped out and disposed between the read and the acquire: take the new one.
        }
    }

    /// <summary>Predicts <paramref name="example"/> with an engine rented for the call.</summary>
    public TPrediction Predict(TData example)
    {
        using var lease = Rent();
        return lease.Predict(example);
    }

    /// <summary>
    /// Loads the file now, whether or not it changed, and swaps it in. On failure the current model stays and the
    /// exception is thrown (and recorded in <see cref="LastReloadError"/>).
    /// </summary>
    public void Reload() => Reload(force: true, rethrow: true);

    private void ReloadIfChanged() => Reload(force: false, rethrow: false);

    private void Reload(bool force, bool rethrow)
    {
        lock (_reloadGate)
        {
            if (_disposed != 0) return;
            try
            {
                if (!force && File.Exists(ModelPath) && Stamp(new FileInfo(ModelPath)) == _loadedStamp) return;
                var (stamp, bytes) = ReadFile();
                var hash = SHA256.HashData(bytes);
                if (!force && hash.AsSpan().SequenceEqual(_loadedHash))
                {
                    _loadedStamp = stamp;
                    return;
                }
                var previous = Volatile.Read(ref _current);
                var next = Load(bytes, previous.Version + 1);
                Volatile.Write(ref _current, next);
                _loadedStamp = stamp;
                _loadedHash = hash;
                Volatile.Write(ref _lastReloadError, null);
                previous.Release();
                _logger.LogInformation("Reloaded model '{Path}' (version {Version}).", ModelPath, next.Version);
            }
            catch (Exception e)
            {
                // Whatever the new file does wrong (I/O, format, a reader's or a native library's exception), the current
                // model stays; a reload from the watcher must never take the process down.
                Volatile.Write(ref _lastReloadError, e);
                Interlocked.Increment(ref _reloadFailures);
                _logger.LogWarning(e, "Model '{Path}' changed but could not be loaded; version {Version} stays in use.",
                    ModelPath, Volatile.Read(ref _current).Version);
                if (rethrow) throw;
            }
        }
    }

    /// <summary>The file's stamp and bytes, read without blocking writers (who replace it by rename).</summary>
    private ((DateTime, long) Stamp, byte[] Bytes) ReadFile()
    {
        var info = new FileInfo(ModelPath);
        if (!info.Exists) throw new FileNotFoundException($"Model file '{ModelPath}' does not exist.", ModelPath);
        var stamp = Stamp(info);
        using var stream = new FileStream(ModelPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return (stamp, bytes);
    }

    private static (DateTime, long) Stamp(FileInfo info) => (info.LastWriteTimeUtc, info.Length);

    private PackagedModel<TData, TPrediction> Load(byte[] bytes, int version)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        ITransformer model;
        DataViewSchema inputSchema;
        try
        {
            model = _mlContext.Model.LoadPackaged(stream, out inputSchema);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Model file '{ModelPath}': {e.Message}", e);
        }
        var loaded = new PackagedModel<TData, TPrediction>(_mlContext, model, inputSchema, version, _maximumIdle);
        try
        {
            // Fails here, naming the column, when TData/TPrediction do not fit the model: better than at the first request.
            loaded.ReturnEngine(loaded.TakeEngine());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            loaded.Release();
            throw new InvalidOperationException(
                $"Model file '{ModelPath}' does not fit {typeof(TData).Name} → {typeof(TPrediction).Name}: {e.Message}", e);
        }
        return loaded;
    }

    /// <summary>Stops watching the file; the model is released once the last rented engine is returned.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _watcher?.Dispose();
        lock (_reloadGate) Volatile.Read(ref _current).Release();
    }
}
