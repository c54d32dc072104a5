using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Native;

/// <summary>
/// Direct access to the float32 elements of a tensor in CPU memory, for the kernels of <c>Kernels/</c> that read and
/// write libtorch's buffers in place (no copy).
/// </summary>
internal static class TensorMemory
{
    /// <summary>
    /// Whether <paramref name="tensor"/> is float32 in CPU memory and small enough for one span of its bytes
    /// (at most <c>int.MaxValue</c> bytes). A kernel also needs it contiguous before calling <see cref="Floats"/>.
    /// </summary>
    public static bool IsCpuFloat32(Tensor tensor) =>
        tensor.device_type == DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.numel() <= int.MaxValue / sizeof(float);

    /// <summary>The elements of a contiguous CPU float32 tensor, as a span over libtorch's memory.</summary>
    public static Span<float> Floats(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);
}
