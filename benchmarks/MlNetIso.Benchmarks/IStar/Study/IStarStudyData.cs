using System.Text;

namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>The study's datasets: the evidence splits (<see cref="EvidenceDatasets"/>) and subjectivity, cut to the budget.</summary>
internal static class IStarStudyData
{
    /// <summary>Names the study accepts.</summary>
    public static readonly string[] Names = ["rt-polarity", "trec", "subjectivity"];

    /// <summary>
    /// The training sample (a fixed seeded shuffle of the training split, first <paramref name="trainRows"/>) and the test
    /// rows (all, or a fixed seeded sample of <paramref name="testRows"/>). The seeds do not depend on the run's seed.
    /// </summary>
    public static (LabelledText[] Train, LabelledText[] Test) Load(string dataDir, string name, int trainRows, int testRows)
    {
        var (train, test) = name switch
        {
            "rt-polarity" => EvidenceDatasets.RtPolarity(dataDir),
            "trec" => EvidenceDatasets.Trec(dataDir),
            "subjectivity" => Subjectivity(dataDir),
            _ => throw new ArgumentException($"Unknown study dataset '{name}'; use one of {string.Join(", ", Names)}."),
        };
        train = (LabelledText[])train.Clone();
        new Random(2025).Shuffle(train);
        if (trainRows > train.Length)
            throw new ArgumentException($"Dataset {name} has {train.Length} training rows; --rows {trainRows} asks for more.");
        train = train[..trainRows];
        if (testRows > 0 && testRows < test.Length)
        {
            test = (LabelledText[])test.Clone();
            new Random(2026).Shuffle(test);
            test = test[..testRows];
        }
        return (train, test);
    }

    /// <summary>subjectivity-v1 (Pang &amp; Lee 2004): 5,000 subjective + 5,000 objective sentences; a seeded 20 % test split.</summary>
    private static (LabelledText[] Train, LabelledText[] Test) Subjectivity(string dataDir)
    {
        var folder = Path.Combine(dataDir, "subjectivity-v1");
        var rows = File.ReadAllLines(Path.Combine(folder, "quote.tok.gt9.5000"), Encoding.Latin1).Select(t => new LabelledText("subjective", t))
            .Concat(File.ReadAllLines(Path.Combine(folder, "plot.tok.gt9.5000"), Encoding.Latin1).Select(t => new LabelledText("objective", t)))
            .Where(r => !string.IsNullOrWhiteSpace(r.Text)).ToArray();
        new Random(2024).Shuffle(rows);
        int test = rows.Length / 5;
        return (rows[test..], rows[..test]);
    }
}
