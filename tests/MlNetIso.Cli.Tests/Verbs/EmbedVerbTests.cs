using System.Diagnostics;
using System.Globalization;
using MlNetIso.Cli.IO;

namespace MlNetIso.Cli.Tests.Verbs;

/// <summary>
/// <c>embed</c>: CSV with a header and an optional id column, .npy, the partial file and its rename, interruption
/// (in-process through the interrupt token, and a real SIGINT to a child process) and <c>--resume</c>.
/// </summary>
public class EmbedVerbTests
{
    [Fact]
    public void Csv_HasAHeaderAnIdColumnAndOneUnitRowPerText()
    {
        var dir = CliRunner.NewTempDir();
        var input = Path.Combine(dir, "texts.tsv");
        File.WriteAllLines(input, ["key\tText", .. Enumerable.Range(0, 7).Select(i => $"r{i}\t{(i == 3 ? "" : $"review number {i}, \"quoted\" and rather good")}")]);
        var csv = Path.Combine(dir, "e.csv");
        var r = CliRunner.Run("embed", "--input", input, "--id-column", "key", "--output", csv, "--model", CliRunner.DemoModel);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("wrote ", r.Output);
        Assert.Contains("7 rows × 128 columns and an id column", r.Output);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("id," + string.Join(',', Enumerable.Range(0, 128).Select(i => "e" + i)), lines[0]);
        Assert.Equal(8, lines.Length);
        for (var i = 0; i < 7; i++)
        {
            var fields = lines[i + 1].Split(',');
            Assert.Equal($"r{i}", fields[0]);
            var values = fields.Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(128, values.Length);
            Assert.Equal(1.0, Math.Sqrt(values.Sum(v => v * v)), 4); // L2-normalised
        }
        Assert.False(File.Exists(csv + ".partial"));
        Assert.False(File.Exists(csv + ".partial.json"));
    }

    [Fact]
    public void Npy_HoldsTheSameNumbersAsTheCsv()
    {
        var dir = CliRunner.NewTempDir();
        var input = CliRunner.Texts(dir, 9);
        var csv = Path.Combine(dir, "e.csv");
        var npy = Path.Combine(dir, "e.npy");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("embed", "--input", input, "--output", csv, "--model", CliRunner.DemoModel).ExitCode);
        var r = CliRunner.Run("embed", "--input", input, "--output", npy, "--model", CliRunner.DemoModel);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var (header, values) = ReadNpy(npy);
        Assert.Equal("<f4", header.Descr);
        Assert.Equal([9L, 128L], header.Shape);
        var fromCsv = File.ReadAllLines(csv).Skip(1).SelectMany(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(fromCsv, values); // the CSV's shortest round-trip decimals give back the same floats
    }

    [Fact]
    public void Interrupted_KeepsTheRowsWrittenAndResumeCompletesTheSameOutput()
    {
        var dir = CliRunner.NewTempDir();
        var input = CliRunner.Texts(dir, 40);
        var full = Path.Combine(dir, "full.csv");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("embed", "--input", input, "--output", full, "--model", CliRunner.DemoModel).ExitCode);

        var output = Path.Combine(dir, "e.csv");
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel(); // as if Ctrl+C came during the first row
        var stopped = CliRunner.Run(interrupt.Token, "embed", "--input", input, "--output", output, "--model", CliRunner.DemoModel);
        Assert.True(stopped.ExitCode == ExitCodes.Interrupted, stopped.ToString());
        Assert.Contains("interrupted: 1 of 40 rows are written to", stopped.Error);
        Assert.Contains("--resume", stopped.Error);
        Assert.False(File.Exists(output));
        Assert.Equal(2, File.ReadAllLines(output + ".partial").Length);

        // A run killed mid-write leaves a torn last row; resume drops it.
        File.AppendAllText(output + ".partial", "0.125,0.25");
        var refused = CliRunner.Run("embed", "--input", input, "--output", output, "--model", CliRunner.DemoModel);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("add --resume to continue it, or delete it", refused.Error);
        var otherSettings = CliRunner.Run("embed", "--input", input, "--output", output, "--model", CliRunner.DemoModel, "--temperature", "0.5", "--resume");
        Assert.Equal(ExitCodes.Usage, otherSettings.ExitCode);
        Assert.Contains("temperature was '1', now '0.5'", otherSettings.Error);

        var resumed = CliRunner.Run("embed", "--input", input, "--output", output, "--model", CliRunner.DemoModel, "--resume");
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.ToString());
        Assert.Contains("Resuming: 1 of 40 rows", resumed.Output);
        AssertSameCsv(full, output);
        Assert.False(File.Exists(output + ".partial"));
        Assert.False(File.Exists(output + ".partial.json"));
    }

    [Fact]
    public void InterruptedNpy_HeaderStatesTheRowsWrittenAndResumeCompletesIt()
    {
        var dir = CliRunner.NewTempDir();
        var input = CliRunner.Texts(dir, 25);
        var output = Path.Combine(dir, "e.npy");
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        Assert.Equal(ExitCodes.Interrupted, CliRunner.Run(interrupt.Token, "embed", "--input", input, "--output", output, "--model", CliRunner.DemoModel).ExitCode);
        var (partialHeader, _) = ReadNpy(output + ".partial");
        Assert.Equal([1L, 128L], partialHeader.Shape);
        File.AppendAllBytes(output + ".partial", new byte[100]); // a torn second row

        var r = CliRunner.Run("embed", "--input", input, "--output", output, "--model", CliRunner.DemoModel, "--resume");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var (header, values) = ReadNpy(output);
        Assert.Equal([25L, 128L], header.Shape);
        Assert.Equal(NpyHeader.FixedSize + 25 * 128 * 4, new FileInfo(output).Length);
        Assert.All(Enumerable.Range(0, 25), row => Assert.Equal(1.0, Math.Sqrt(values.Skip(row * 128).Take(128).Sum(v => (double)v * v)), 4));
    }

    [Fact]
    public void ResumeWithoutAPartialFile_StartsFromTheFirstRow()
    {
        var dir = CliRunner.NewTempDir();
        var output = Path.Combine(dir, "e.csv");
        var r = CliRunner.Run("embed", "--input", CliRunner.Texts(dir, 5), "--output", output, "--model", CliRunner.DemoModel, "--resume");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("nothing to resume", r.Output);
        Assert.Equal(6, File.ReadAllLines(output).Length);
    }

    [Fact]
    public async Task Sigint_StopsAtARowBoundarySaysHowManyRowsAndResumeFinishes()
    {
        var dir = CliRunner.NewTempDir();
        const int rows = 2000;
        var input = CliRunner.Texts(dir, rows);
        var output = Path.Combine(dir, "e.csv");
        using var process = CliRunner.Start(dir, "embed", "--input", input, "--output", output, "--model", CliRunner.DemoModel, "--batch", "8");
        var stdout = new System.Text.StringBuilder();
        var progressSeen = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            if (e.Data.StartsWith("embedding ", StringComparison.Ordinal) && e.Data.Contains(" / ", StringComparison.Ordinal)) progressSeen.TrySetResult();
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.WhenAny(progressSeen.Task, Task.Delay(TimeSpan.FromSeconds(90)));
        Assert.True(progressSeen.Task.IsCompleted, $"no progress line within 90 s:\n{stdout}"); // the first comes with the first row
        Assert.False(process.HasExited, $"finished before it could be interrupted:\n{stdout}");

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            await process.WaitForExitAsync(timeout.Token);
        var error = await stderr;
        Assert.True(process.ExitCode == ExitCodes.Interrupted, $"exit {process.ExitCode}\n{stdout}\n{error}");
        var match = System.Text.RegularExpressions.Regex.Match(error, @"interrupted: ([\d,]+) of 2,000 rows are written to '(.*)'; run the same command with --resume");
        Assert.True(match.Success, error);
        var written = int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.InRange(written, 1, rows - 1);
        Assert.False(File.Exists(output));
        var partial = File.ReadAllLines(output + ".partial");
        Assert.Equal(written + 1, partial.Length); // header + complete rows only
        Assert.All(partial.Skip(1), l => Assert.Equal(128, l.Split(',').Length));

        var resumed = CliRunner.Run("embed", "--input", input, "--output", output, "--model", CliRunner.DemoModel, "--batch", "8", "--resume");
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.ToString());
        Assert.Contains($"Resuming: {written:N0} of 2,000 rows", resumed.Output);
        Assert.Equal(rows + 1, File.ReadAllLines(output).Length);
    }

    private static void AssertSameCsv(string expected, string actual)
    {
        var a = File.ReadAllLines(expected);
        var b = File.ReadAllLines(actual);
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(a[0], b[0]);
        for (var i = 1; i < a.Length; i++)
        {
            var x = a[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var y = b[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(x.Length, y.Length);
            for (var j = 0; j < x.Length; j++) Assert.Equal(x[j], y[j], 5); // batches differ in padding: last bits may too
        }
    }

    internal static (NpyHeader Header, float[] Values) ReadNpy(string path)
    {
        using var stream = File.OpenRead(path);
        var header = NpyHeader.Read(stream, path);
        var bytes = new byte[stream.Length - header.Size];
        stream.ReadExactly(bytes);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 4);
        return (header, values);
    }
}
