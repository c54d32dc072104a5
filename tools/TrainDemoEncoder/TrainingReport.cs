using System.Text.Json;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>What a training run records in <c>training-log.json</c> next to the model (read back for the model card).</summary>
internal sealed record TrainingReport
{
    public required TrainingOptions Options { get; init; }
    public required int StepsDone { get; init; }
    public required double TrainingSeconds { get; init; }
    public required List<LossPoint> LossCurve { get; init; }
    public required Dictionary<string, int> SourceCounts { get; init; }
    public required int PretrainingTexts { get; init; }
    public required long Parameters { get; init; }
    public required string Hardware { get; init; }
    public required string FinishedUtc { get; init; }
    public double? ProbeAccuracyTrained { get; init; }
    public double? ProbeAccuracyRandom { get; init; }
    public double? OnnxMaxAbsDiff { get; init; }
    public int? ProbeTrainRows { get; init; }
    public int? ProbeTestRows { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static TrainingReport Load(string path)
        => JsonSerializer.Deserialize<TrainingReport>(File.ReadAllText(path), Json)
           ?? throw new InvalidDataException($"'{path}' is empty.");

    public static string DescribeHardware()
    {
        string cpu = "unknown CPU";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        return $"{cpu}, {Environment.ProcessorCount} logical cores visible (shared with other jobs), " +
               $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, TorchSharp-cpu 0.107.0 (libtorch 2.10 CPU)";
    }
}
