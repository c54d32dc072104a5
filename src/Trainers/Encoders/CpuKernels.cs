using MlNetIso.Trainers.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Encoders;

/// <summary>
/// When the encoder's operations run on this project's CPU kernels (<see cref="GemmLinear"/> on <see cref="SingleGemm"/>,
/// <see cref="GeluFunction"/> on <see cref="Gelu"/>) instead of libtorch's: float32 tensors in CPU memory, an AVX-512
/// CPU, and libtorch running one intra-op thread (I-STAR's default). With more threads libtorch's own operations share
/// its OpenMP pool; the kernels are single-threaded and a second pool would compete with OpenMP's spinning threads
/// (docs/benchmarks.md, "I-STAR against PyTorch").
/// </summary>
internal static class CpuKernels
{
    /// <summary>Whether the kernels may be used at all (benchmarks switch them off to compare with libtorch in one run).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Whether an operation on <paramref name="x"/> runs on the kernels.</summary>
    public static bool Apply(Tensor x) =>
        Enabled && SingleGemm.IsSupported && x.device_type == DeviceType.CPU && x.dtype == ScalarType.Float32
        && x.numel() <= int.MaxValue / sizeof(float) && get_num_threads() == 1;
}
