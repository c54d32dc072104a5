using MlNetIso.Trainers.Kernels;
using MlNetIso.Trainers.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// When the encoder's operations run on this project's CPU kernels (<see cref="GemmLinear"/> on <see cref="SingleGemm"/>,
/// <see cref="GeluFunction"/> on <see cref="Gelu"/>) instead of libtorch's: float32 tensors in CPU memory of at least
/// <see cref="MinimumElements"/> elements, an AVX-512 CPU, and libtorch running one intra-op thread (I-STAR's default). With more threads libtorch's own operations share
/// its OpenMP pool; the kernels are single-threaded and a second pool would compete with OpenMP's spinning threads
/// (docs/benchmarks.md, "I-STAR against PyTorch").
/// </summary>
internal static class CpuKernels
{
    /// <summary>Whether the kernels may be used at all (benchmarks switch them off to compare with libtorch in one run).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// Fewest input elements for which the kernels are used: a custom autograd function costs about 50 µs of fixed
    /// overhead per call, more than libtorch's whole product on a single short row (scoring row by row, as
    /// <c>PredictionEngine</c> does), while a training batch has 32 × 32 × 128 = 131,072.
    /// </summary>
    internal const long MinimumElements = 16_384;

    /// <summary>Whether an operation on <paramref name="x"/> runs on the kernels.</summary>
    public static bool Apply(Tensor x) =>
        Enabled && SingleGemm.IsSupported && TensorMemory.IsCpuFloat32(x) && x.numel() >= MinimumElements && get_num_threads() == 1;
}
