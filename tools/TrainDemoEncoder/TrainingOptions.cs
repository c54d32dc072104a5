namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>Command-line options of the demo-encoder training run (defaults are the values used for the bundled model).</summary>
internal sealed record TrainingOptions
{
    public string DataDir { get; init; } = "data";
    public string OutDir { get; init; } = "models/mlnetiso-mini";
    public int VocabSize { get; init; } = 8000;
    public int HiddenSize { get; init; } = 128;
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;
    public int IntermediateSize { get; init; } = 512;
    public int MaxPositions { get; init; } = 512;
    public int MaxLength { get; init; } = 64;
    public int BatchSize { get; init; } = 64;
    public int Steps { get; init; } = 3000;
    public double Minutes { get; init; } = 30;
    public double LearningRate { get; init; } = 1e-3;
    public double WarmupFraction { get; init; } = 0.06;
    public double WeightDecay { get; init; } = 0.01;
    public int Seed { get; init; } = 20251123;
    public int Threads { get; init; } = 2;
    public int CheckpointEvery { get; init; } = 250;
    public int LogEvery { get; init; } = 50;
    public bool DistributionalInit { get; init; } = true;
    public double InitStd { get; init; } = 0.04;
    public bool SkipTraining { get; init; }
    public bool TrainOnly { get; init; }
    public bool CardOnly { get; init; }

    public static TrainingOptions Parse(string[] args)
    {
        var o = new TrainingOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {args[i]} needs a value.");
            int Int() { var v = Next(); return int.TryParse(v, out var r) ? r : throw new ArgumentException($"Option {args[i - 1]}: '{v}' is not an integer."); }
            double Dbl() { var v = Next(); return double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : throw new ArgumentException($"Option {args[i - 1]}: '{v}' is not a number."); }
            o = args[i] switch
            {
                "--data" => o with { DataDir = Next() },
                "--out" => o with { OutDir = Next() },
                "--vocab" => o with { VocabSize = Int() },
                "--hidden" => o with { HiddenSize = Int() },
                "--layers" => o with { Layers = Int() },
                "--heads" => o with { Heads = Int() },
                "--intermediate" => o with { IntermediateSize = Int() },
                "--max-positions" => o with { MaxPositions = Int() },
                "--max-length" => o with { MaxLength = Int() },
                "--batch" => o with { BatchSize = Int() },
                "--steps" => o with { Steps = Int() },
                "--minutes" => o with { Minutes = Dbl() },
                "--lr" => o with { LearningRate = Dbl() },
                "--seed" => o with { Seed = Int() },
                "--threads" => o with { Threads = Int() },
                "--checkpoint-every" => o with { CheckpointEvery = Int() },
                "--log-every" => o with { LogEvery = Int() },
                "--no-distributional-init" => o with { DistributionalInit = false },
                "--init-std" => o with { InitStd = Dbl() },
                "--skip-training" => o with { SkipTraining = true },
                "--train-only" => o with { TrainOnly = true },
                "--card-only" => o with { CardOnly = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. See tools/TrainDemoEncoder/Program.cs for the list."),
            };
        }
        return o;
    }
}
