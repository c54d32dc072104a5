namespace MlNetIso.Extensions.ML;

/// <summary>
/// Calls back when a model file may have changed: after a quiet <c>delay</c> following the file system's last change
/// notification for the file (created, written, renamed into place), and, when a polling interval is given, at that
/// interval. The callback decides whether the file really changed; calls never overlap.
/// </summary>
internal sealed class ModelFileWatcher : IDisposable
{
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _debounce;
    private readonly Timer? _poll;
    private readonly TimeSpan _delay;
    private readonly Action _changed;
    private readonly Lock _gate = new();
    private readonly Lock _firing = new();
    private volatile bool _disposed;

    public ModelFileWatcher(string path, bool notifications, TimeSpan delay, TimeSpan? pollingInterval, Action changed)
    {
        _delay = delay;
        _changed = changed;
        _debounce = new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
        if (notifications)
        {
            var folder = Path.GetDirectoryName(path)!;
            _watcher = new FileSystemWatcher(folder, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => Schedule();
            _watcher.Created += (_, _) => Schedule();
            _watcher.Renamed += (_, _) => Schedule();
            _watcher.Error += (_, _) => Schedule();
            _watcher.EnableRaisingEvents = true;
        }
        if (pollingInterval is { } interval) _poll = new Timer(_ => Fire(), null, interval, interval);
    }

    private void Schedule()
    {
        lock (_gate)
        {
            if (!_disposed) _debounce.Change(_delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire()
    {
        // Its own lock: a slow load must not hold up the change notifications (which only re-arm the timer).
        lock (_firing)
        {
            if (!_disposed) _changed();
        }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _watcher?.Dispose();
        _debounce.Dispose();
        _poll?.Dispose();
    }
}
