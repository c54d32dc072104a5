namespace MlNetIso.Benchmarks.Encoder;

/// <summary>One thread configuration of the PyTorch reference.</summary>
/// <param name="Name">For the report.</param>
/// <param name="TorchThreads">ATen/OpenMP intra-op threads (<c>torch.set_num_threads</c>).</param>
/// <param name="OmpPassive">Whether idle OpenMP threads sleep (<c>OMP_WAIT_POLICY=PASSIVE</c>) instead of spinning.</param>
internal sealed record TorchThreading(string Name, int TorchThreads, bool OmpPassive);
