using System.Globalization;

namespace MlNetIso.Cli.Tests.Verbs;

public class SweepVerbTests
{
    [Fact]
    public void Sweep_CrossValidatesEveryCandidateAndWritesTheTable()
    {
        var dir = CliRunner.NewTempDir();
        var input = LabelledSentences(dir);
        var table = Path.Combine(dir, "sweep.csv");
        var r = CliRunner.Run("sweep", "--input", input, "--label", "Label", "--model", CliRunner.DemoModel,
            "--lambdas", "-1,0,1", "--zetas", "0.2", "--folds", "3", "--epochs", "3", "--output", table);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("3-fold cross-validation", r.Output);
        Assert.Matches(@"best: λ = -?[01], ζ = 0\.2 with accuracy [0-9.]+ ± [0-9.]+ \(mean ± sd over 3 folds\)", r.Output);
        Assert.Contains("sweep.csv", r.Output);
        var lines = File.ReadAllLines(table);
        Assert.Equal("lambda,zeta,mean_accuracy,sd,best,fold1,fold2,fold3", lines[0]);
        Assert.Equal(["-1", "0", "1"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal(1, lines.Skip(1).Count(l => l.Split(',')[4] == "1"));
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(8, cells.Length);
            Assert.Equal(cells[5..].Average(), cells[2], 9); // the mean is the folds' mean
            Assert.All(cells[5..], a => Assert.InRange(a, 0, 1));
        }
        Assert.Empty(Directory.GetFiles(dir, ".*.tmp")); // written atomically

        // The same command gives the same table (seeded folds and weights).
        var again = CliRunner.Run("sweep", "--input", input, "--label", "Label", "--model", CliRunner.DemoModel,
            "--lambdas", "-1,0,1", "--zetas", "0.2", "--folds", "3", "--epochs", "3", "--output", table);
        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Equal(lines, File.ReadAllLines(table));
    }

    [Fact]
    public void SweepBinaryWithLatinHypercube_DrawsTheCandidatesAsked()
    {
        var dir = CliRunner.NewTempDir();
        var input = LabelledSentences(dir);
        var table = Path.Combine(dir, "lhs.csv");
        var r = CliRunner.Run("sweep", "--input", input, "--label", "Label", "--positive", "pos", "--model", CliRunner.DemoModel,
            "--strategy", "latin-hypercube", "--candidates", "2", "--folds", "2", "--epochs", "2", "--output", table);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("binary ('pos' vs the rest)", r.Output);
        var rows = File.ReadAllLines(table).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(2, rows.Length);
        foreach (var row in rows)
        {
            Assert.InRange(double.Parse(row[0], CultureInfo.InvariantCulture), -5, 5);   // λ from the attribute's range
            Assert.InRange(double.Parse(row[1], CultureInfo.InvariantCulture), 0, 1);    // ζ likewise
        }
    }

    [Theory]
    [InlineData(new[] { "--lambdas", "-1,7" }, 1, "--lambdas: '7' is not a number in [-5, 5].")]
    [InlineData(new[] { "--strategy", "best" }, 1, "Argument 'best' not recognized")]
    [InlineData(new[] { "--folds", "1" }, 1, "--folds must be an integer in [2, 100], got 1.")]
    [InlineData(new[] { "--positive", "great" }, 2, "--positive 'great' is not one of the labels (neg, pos)")]
    public void Sweep_RejectsBadOptionsBeforeTraining(string[] extra, int exitCode, string message)
    {
        var dir = CliRunner.NewTempDir();
        var input = LabelledSentences(dir);
        var r = CliRunner.Run(["sweep", "--input", input, "--label", "Label", "--model", CliRunner.DemoModel, .. extra]);
        Assert.True(r.ExitCode == exitCode, r.ToString());
        Assert.Contains(message, r.Error);
    }

    /// <summary>A TSV (Text, Label) of 40 short reviews, "pos" and "neg" alternating.</summary>
    private static string LabelledSentences(string dir)
    {
        var input = Path.Combine(dir, "labelled.tsv");
        var good = new[] { "a wonderful , moving film", "brilliant acting and a great story", "funny , warm and smart" };
        var bad = new[] { "a dull , boring mess", "terrible plot and awful acting", "tedious and far too long" };
        File.WriteAllLines(input, ["Text\tLabel", .. Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? $"{good[i % 3]}\tpos" : $"{bad[i % 3]}\tneg")]);
        return input;
    }
}
