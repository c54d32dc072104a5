using System.Text;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>A labelled sentence.</summary>
internal sealed record LabelledText(string Label, string Text);

/// <summary>Train/test splits of the two shared datasets the I-STAR evidence uses.</summary>
internal static class EvidenceDatasets
{
    /// <summary>
    /// rt-sentence-polarity-v1 (Pang &amp; Lee 2005): 5,331 pos + 5,331 neg; no official split, so a fixed seeded
    /// shuffle puts 20% in the test set.
    /// </summary>
    public static (LabelledText[] Train, LabelledText[] Test) RtPolarity(string dataDir)
    {
        var folder = Path.Combine(dataDir, "rt-sentence-polarity-v1");
        var rows = File.ReadAllLines(Path.Combine(folder, "rt-polarity.pos")).Select(t => new LabelledText("pos", t))
            .Concat(File.ReadAllLines(Path.Combine(folder, "rt-polarity.neg")).Select(t => new LabelledText("neg", t)))
            .Where(r => !string.IsNullOrWhiteSpace(r.Text)).ToArray();
        new Random(2024).Shuffle(rows);
        int test = rows.Length / 5;
        return (rows[test..], rows[..test]);
    }

    /// <summary>TREC question classification (Li &amp; Roth 2002), 6 coarse classes; train.txt is Latin-1.</summary>
    public static (LabelledText[] Train, LabelledText[] Test) Trec(string dataDir)
    {
        var folder = Path.Combine(dataDir, "trec-question-classification");
        return (Read(Path.Combine(folder, "train.txt")), Read(Path.Combine(folder, "test.txt")));

        static LabelledText[] Read(string path) =>
            File.ReadAllLines(path, Encoding.Latin1).Where(l => l.Length > 0).Select(l =>
            {
                int space = l.IndexOf(' ');
                return new LabelledText(l[..l.IndexOf(':')], l[(space + 1)..]);
            }).ToArray();
    }
}
