using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace MlNetIso.Cli.Rendering;

/// <summary>
/// Progress of a long step: a live bar with the percentage and the time left when the output is a terminal, else a
/// plain line when the first unit is done and then every two seconds ("embedding: 1,280 / 5,331 (24 %), about 18 s
/// left") so logs and scripts see it too. <see cref="Advance"/> may be called from any thread.
/// </summary>
internal sealed class ProgressDisplay
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);
    private readonly CliConsole _console;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private ProgressTask? _task;
    private string _description;
    private long _total;
    private long _done;
    private TimeSpan _lastLine;
    private volatile bool _finished;

    private ProgressDisplay(CliConsole console, string description, long total)
    {
        _console = console;
        _description = description;
        _total = Math.Max(total, 1);
    }

    /// <summary>Runs <paramref name="work"/> while showing its progress; returns its result.</summary>
    public static T Run<T>(CliConsole console, string description, long total, Func<ProgressDisplay, T> work)
    {
        var display = new ProgressDisplay(console, description, total);
        if (!console.Interactive)
        {
            try
            {
                var result = work(display);
                display.Finish();
                return result;
            }
            finally
            {
                display._finished = true;
            }
        }
        return console.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                display._task = ctx.AddTask(Markup.Escape(description), maxValue: display._total);
                try
                {
                    var result = work(display);
                    if (display.Done >= display._total) display._task.Value = display._task.MaxValue; // not when interrupted
                    return result;
                }
                finally
                {
                    display._finished = true;
                    display._task.StopTask();
                }
            });
    }

    /// <summary>Rows (or other units) done so far.</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>Counts <paramref name="count"/> more units as done.</summary>
    public void Advance(long count = 1) => Show(Interlocked.Add(ref _done, count));

    /// <summary>
    /// Raises the count to <paramref name="done"/> if it is lower: for work read by several cursors at once (the
    /// embedding transform reads its input twice, one cursor running ahead), each reporting its own position.
    /// </summary>
    public void AtLeast(long done)
    {
        long current;
        while ((current = Interlocked.Read(ref _done)) < done)
            if (Interlocked.CompareExchange(ref _done, done, current) == current) break;
        Show(Math.Max(current, done));
    }

    private void Show(long done)
    {
        if (_finished) return; // rows read again later (an evaluation pass) are not this step's
        if (_task is { } task)
        {
            task.Value = Math.Min(done, _total);
            return;
        }
        // The first unit done is reported at once (the work has started), then a line every LineInterval.
        var now = _clock.Elapsed;
        if (_lastLine != TimeSpan.Zero && now - _lastLine < LineInterval) return;
        lock (_gate)
        {
            if (_lastLine != TimeSpan.Zero && now - _lastLine < LineInterval) return;
            _lastLine = now == TimeSpan.Zero ? TimeSpan.FromTicks(1) : now;
            _console.Out.WriteLine(Line(done, now));
        }
    }

    /// <summary>Starts a new step with its own unit count (0 for a step whose length is unknown).</summary>
    public void Step(string description, long total)
    {
        lock (_gate)
        {
            _description = description;
            _total = Math.Max(total, 1);
            Interlocked.Exchange(ref _done, 0);
            _clock.Restart();
            _lastLine = TimeSpan.Zero;
            if (_task is { } task)
            {
                task.Description = Markup.Escape(description);
                task.IsIndeterminate = total <= 0;
                task.MaxValue = _total;
                task.Value = 0;
            }
            else _console.Out.WriteLine($"{description}…");
        }
    }

    private void Finish()
    {
        var done = Done;
        _console.Out.WriteLine(done >= _total
            ? $"{_description}: done in {Seconds(_clock.Elapsed)}."
            : $"{_description}: stopped at {done:N0} / {_total:N0} after {Seconds(_clock.Elapsed)}.");
    }

    private string Line(long done, TimeSpan elapsed)
    {
        var fraction = Math.Min(1.0, done / (double)_total);
        var left = fraction > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction) : (TimeSpan?)null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{_description}: {done:N0} / {_total:N0} ({fraction * 100:0} %){(left is { } l ? $", about {Seconds(l)} left" : "")}");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds < 90
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:0.0} min");
}
