using System.Globalization;

namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>The study's settings, read from the verb's options; every run of one study uses the same ones.</summary>
internal sealed record IStarStudySettings
{
    public string DataDir { get; init; } = "";

    public string Encoder { get; init; } = "all-MiniLM-L6-v2";

    public string[] Datasets { get; init; } = ["rt-polarity", "trec"];

    public double[] Lambdas { get; init; } = [-1, 0, 1];

    public int Seeds { get; init; } = 3;

    /// <summary>Training rows: a fixed seeded sample (seed 2025) of each dataset's training split, the same for every run.</summary>
    public int TrainRows { get; init; } = 1000;

    /// <summary>Test rows: 0 = the whole test split, otherwise a fixed seeded sample of it.</summary>
    public int TestRows { get; init; }

    public int Epochs { get; init; } = 2;

    public double LearningRate { get; init; } = 1e-4;

    public int MaxTokens { get; init; } = 64;

    public int BatchSize { get; init; } = 32;

    public double Zeta { get; init; } = 0.2;

    /// <summary>Points in the C0 bank (rebuilt every epoch); the paper's 250,000 would re-encode the whole subset each epoch.</summary>
    public int ReferencePoints { get; init; } = 20_000;

    public int HeadEpochs { get; init; } = 20;

    public double HeadLearningRate { get; init; } = 5e-3;

    public int HeadHidden { get; init; } = 64;

    /// <summary>Points in the reservoir sample that TwoNN is computed on (exact all-pairs, O(N²·d)).</summary>
    public int TwoNNSample { get; init; } = 4000;

    /// <summary>Points streamed for the test IsoScore / IsoScore* of the regularised representation.</summary>
    public int IsotropyPoints { get; init; } = 50_000;

    public int Threads { get; init; } = 1;

    /// <summary>Reads the options of <c>istar-study</c>; absent ones keep the defaults above.</summary>
    public static IStarStudySettings Parse(BenchmarkArguments a)
    {
        var d = new IStarStudySettings();
        return d with
        {
            DataDir = RepoPaths.SharedData(a) ?? Path.Combine(RepoPaths.Root, "..", "shared", "data"),
            Encoder = a.Value("--encoder") ?? d.Encoder,
            Datasets = a.Value("--datasets")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? d.Datasets,
            Lambdas = a.Value("--lambdas")?.Split(',').Select(Number).ToArray() ?? d.Lambdas,
            Seeds = a.Int("--seeds", d.Seeds),
            TrainRows = a.Int("--rows", d.TrainRows),
            TestRows = a.Value("--test-rows") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : d.TestRows,
            Epochs = a.Int("--epochs", d.Epochs),
            LearningRate = a.Value("--lr") is { } lr ? Number(lr) : d.LearningRate,
            MaxTokens = a.Int("--max-tokens", d.MaxTokens),
            ReferencePoints = a.Int("--bank", d.ReferencePoints),
            HeadEpochs = a.Int("--head-epochs", d.HeadEpochs),
            HeadLearningRate = a.Value("--head-lr") is { } hl ? Number(hl) : d.HeadLearningRate,
            TwoNNSample = a.Int("--twonn-sample", d.TwoNNSample),
            IsotropyPoints = a.Int("--iso-points", d.IsotropyPoints),
            Threads = a.Int("--threads", d.Threads),
        };
    }

    /// <summary>The part of a run's key that fixes the budget, so runs of differently sized studies never mix.</summary>
    public string Budget => string.Create(CultureInfo.InvariantCulture, $"n={TrainRows},test={TestRows},e={Epochs},lr={LearningRate:R}");

    /// <summary>The key of one run.</summary>
    public string Key(string mode, string dataset, double lambda, int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{mode}/{dataset}/λ={lambda:R}/seed={seed}/{Budget}");

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
