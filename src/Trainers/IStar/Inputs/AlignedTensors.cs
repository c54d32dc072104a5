using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>
/// Copies managed arrays into tensors allocated by libtorch. <c>torch.tensor(array)</c> may wrap the pinned managed
/// buffer, whose address (hence SIMD alignment) differs from run to run; the CPU BLAS kernels then round differently
/// and training with a fixed seed stops being bit-for-bit reproducible. A native copy is always 64-byte aligned.
/// </summary>
internal static class AlignedTensors
{
    /// <summary>A float32 tensor of <paramref name="shape"/> holding <paramref name="data"/>, on <paramref name="device"/>.</summary>
    public static Tensor Float32(float[] data, long[] shape, Device device)
    {
        using var wrapped = tensor(data, shape);
        return wrapped.clone().to(device);
    }

    /// <summary>An int64 tensor of <paramref name="shape"/> holding <paramref name="data"/>, on <paramref name="device"/>.</summary>
    public static Tensor Int64(long[] data, long[] shape, Device device)
    {
        using var wrapped = tensor(data, shape);
        return wrapped.clone().to(device);
    }
}
