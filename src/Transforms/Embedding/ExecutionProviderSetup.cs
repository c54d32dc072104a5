using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Creates the ONNX Runtime session options of an encoder for the requested <see cref="EmbeddingExecutionProvider"/>:
/// CPU as is; CUDA appended (failing with the reason when it cannot be); Auto trying CUDA and falling back to CPU with
/// the reason kept for the one report per process. Also turns a missing ONNX Runtime native library into an
/// explanation (the libraries reference only <c>Microsoft.ML.OnnxRuntime.Managed</c>; the app brings the native build).
/// </summary>
internal static class ExecutionProviderSetup
{
    private const string CudaProviderName = "CUDAExecutionProvider";
    private static readonly ConcurrentDictionary<int, string> CudaFailures = new();
    private static int _fallbackReported;

    /// <summary>The options, the provider they run on, and why CUDA was not used when Auto fell back (else null).</summary>
    public sealed record Result(SessionOptions Options, EmbeddingExecutionProvider Active, string? FallbackReason);

    public static Result Create(EmbeddingSettings settings, string modelName)
    {
        var options = NewOptions(settings, modelName);
        if (settings.ExecutionProvider == EmbeddingExecutionProvider.Cpu)
            return new Result(options, EmbeddingExecutionProvider.Cpu, null);

        // Auto does not retry a device whose CUDA provider already failed in this process (each try costs a library
        // load and an ONNX Runtime error log); an explicit Cuda request always tries.
        var reason = settings.ExecutionProvider == EmbeddingExecutionProvider.Auto && CudaFailures.TryGetValue(settings.GpuDeviceId, out var known)
            ? known
            : TryAppendCuda(options, settings.GpuDeviceId);
        if (reason is null) return new Result(options, EmbeddingExecutionProvider.Cuda, null);
        CudaFailures[settings.GpuDeviceId] = reason;
        options.Dispose();
        if (settings.ExecutionProvider == EmbeddingExecutionProvider.Cuda)
            throw new InvalidOperationException(
                $"Encoder '{modelName}': the CUDA execution provider was requested but cannot be used: {reason} " +
                "Reference Microsoft.ML.OnnxRuntime.Gpu (in this repository: -p:OnnxRuntimeFlavor=Gpu) on a machine with " +
                "CUDA 13 and cuDNN, or set ExecutionProvider = Auto (falls back to CPU) or Cpu.");
        // Auto: a fresh CPU-only options object, so nothing of the failed CUDA attempt remains.
        return new Result(NewOptions(settings, modelName), EmbeddingExecutionProvider.Cpu, reason);
    }

    /// <summary>
    /// True exactly once per process: the caller that gets true reports the Auto fallback; later fallbacks stay quiet.
    /// </summary>
    public static bool ClaimFallbackReport() => Interlocked.Exchange(ref _fallbackReported, 1) == 0;

    /// <summary>Whether the one fallback report of this process has been made.</summary>
    public static bool FallbackReported => Volatile.Read(ref _fallbackReported) != 0;

    /// <summary>The one-line fallback message.</summary>
    public static string FallbackMessage(string modelName, string reason) =>
        $"ExecutionProvider = Auto: CUDA cannot be used, so encoder '{modelName}' runs on the CPU provider " +
        $"(reported once per process). Reason: {reason}";

    private static SessionOptions NewOptions(EmbeddingSettings settings, string modelName)
    {
        SessionOptions options;
        try
        {
            options = new SessionOptions();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                $"Encoder '{modelName}': ONNX Runtime's native library (libonnxruntime) could not be loaded. The MlNetIso " +
                "libraries reference only Microsoft.ML.OnnxRuntime.Managed; the app must reference one native package: " +
                "Microsoft.ML.OnnxRuntime (CPU) or Microsoft.ML.OnnxRuntime.Gpu (CUDA). " +
                $"Original error: {e.GetType().Name}: {e.Message}", e);
        }
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
        options.LogSeverityLevel = settings.OnnxRuntimeLogLevel;
        if (settings.IntraOpThreads > 0) options.IntraOpNumThreads = settings.IntraOpThreads;
        return options;
    }

    /// <summary>Appends the CUDA provider; returns null on success, else why it cannot be used.</summary>
    private static string? TryAppendCuda(SessionOptions options, int deviceId)
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        if (!available.Contains(CudaProviderName))
            return $"this ONNX Runtime build offers only [{string.Join(", ", available)}] (the CPU package, " +
                   "Microsoft.ML.OnnxRuntime, has no CUDA provider).";
        try
        {
            options.AppendExecutionProvider_CUDA(deviceId);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            return $"the CUDA provider of this ONNX Runtime build failed to load for device {deviceId}: {e.Message.Trim()} " +
                   "(ONNX Runtime's own log names the missing library: the 1.31 GPU build needs CUDA 13, e.g. " +
                   "libcublasLt.so.13 and libcudart.so.13, and cuDNN 9, plus an NVIDIA driver and device).";
        }
    }
}
