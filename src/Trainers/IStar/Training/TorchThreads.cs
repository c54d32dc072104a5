using TorchSharp;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// TorchSharp's intra-op thread count for one I-STAR fit: <see cref="IStarOptions.NumberOfThreads"/>, or the measured
/// default <see cref="Default"/>. libtorch's count is process-wide, so <see cref="Use"/> sets it for the fit and puts the
/// previous value back afterwards. (Inter-op threads are left alone: I-STAR runs no inter-op parallel work, and libtorch
/// refuses to change that pool once any parallel work has started.)
/// </summary>
internal static class TorchThreads
{
    /// <summary>
    /// The default: 1 thread. Measured with <c>benchmarks istar-threads</c> (docs/benchmarks.md, "I-STAR threads
    /// (TorchSharp intra-op threads per fit)"): on the shared 2-core machine, whole fits took 0.54 s with 1 thread vs
    /// 23 s with libtorch's default of 2 (head-only, 3,000 rows) and 20 s vs 149 s (fine-tuning the demo encoder,
    /// 400 sentences); 2 threads burned 16–40× the CPU time.
    /// </summary>
    public const int Default = 1;

    /// <summary>The thread count a fit with these options runs with.</summary>
    public static int Resolve(IStarOptions options) => options.NumberOfThreads ?? Default;

    /// <summary>Sets libtorch's intra-op threads to <paramref name="threads"/> until the returned scope is disposed.</summary>
    public static IDisposable Use(int threads)
    {
        int previous = torch.get_num_threads();
        if (previous != threads) torch.set_num_threads(threads);
        return new Restore(previous, threads);
    }

    private sealed class Restore(int previous, int current) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && previous != current) torch.set_num_threads(previous);
        }
    }
}
