namespace MlNetIso.Trainers.Tests.Native;

/// <summary>A fact about the Linux build output (the patched TorchSharp native library); shown as skipped elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LinuxFactAttribute() : EnvironmentSpecificFactAttribute(
    OperatingSystem.IsLinux(), "Linux only: the GLIBCXX patch applies to the linux-x64 native library.");
