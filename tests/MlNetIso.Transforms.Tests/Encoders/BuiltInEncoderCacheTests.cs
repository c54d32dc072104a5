using MlNetIso.Transforms.Encoders;

namespace MlNetIso.Transforms.Tests.Encoders;

/// <summary>Atomicity, concurrency and self-repair of the built-in encoder cache, on the small demo encoder.</summary>
public class BuiltInEncoderCacheTests
{
    private static readonly BuiltInEncoder Mini = BuiltInEncoders.MlNetIsoMini;

    [Fact]
    public void SecondCall_ReusesTheEntryWithoutRewritingIt()
    {
        var root = TestPaths.NewTempDir();
        try
        {
            var folder = BuiltInEncoders.Materialize(Mini.Name, root);
            var model = Path.Combine(folder, "model.onnx");
            var written = File.GetLastWriteTimeUtc(model);
            var marker = Path.Combine(folder, "extra-file-a-rebuild-would-remove");
            File.WriteAllText(marker, "x");
            Assert.Equal(folder, BuiltInEncoders.Materialize(Mini.Name, root));
            Assert.Equal(written, File.GetLastWriteTimeUtc(model));
            Assert.True(File.Exists(marker));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    public static TheoryData<string> Damages => ["truncated model", "flipped vocab byte", "missing SHA256SUMS", "edited config", "missing pooling file", "leftover temp folder"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void DamagedOrHalfWrittenEntry_IsDetectedAndRebuilt(string damage)
    {
        var root = TestPaths.NewTempDir();
        try
        {
            var folder = BuiltInEncoders.Materialize(Mini.Name, root);
            string F(string name) => Path.Combine(folder, name);
            switch (damage)
            {
                case "truncated model":
                    using (var s = new FileStream(F("model.onnx"), FileMode.Open)) s.SetLength(s.Length / 2);
                    break;
                case "flipped vocab byte":
                    var bytes = File.ReadAllBytes(F("vocab.txt"));
                    bytes[100] ^= 1;
                    File.WriteAllBytes(F("vocab.txt"), bytes);
                    break;
                case "missing SHA256SUMS":
                    File.Delete(F("SHA256SUMS"));
                    break;
                case "edited config":
                    File.WriteAllText(F("config.json"), File.ReadAllText(F("config.json")).Replace("128", "256"));
                    break;
                case "missing pooling file":
                    File.Delete(F(Path.Combine("1_Pooling", "config.json")));
                    break;
                case "leftover temp folder":
                    // A builder that died mid-way leaves .<key>.<guid>.tmp (and, while replacing, .<key>.<guid>.old); the
                    // entry itself is half-written (no SHA256SUMS).
                    Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(folder)!, $".{Path.GetFileName(folder)}.dead.tmp"));
                    Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(folder)!, $".{Path.GetFileName(folder)}.dead.old"));
                    File.Delete(F("SHA256SUMS"));
                    break;
            }
            Assert.NotNull(BuiltInEncoderCache.Problem(Mini, folder));
            Assert.Equal(folder, BuiltInEncoders.Materialize(Mini.Name, root));
            Assert.Null(BuiltInEncoderCache.Problem(Mini, folder));
            BuiltInEncodersTests.AssertSha256SumsHold(folder);
            Assert.Equal([folder], Directory.GetDirectories(Path.GetDirectoryName(folder)!));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ConcurrentCallersOnAnEmptyCache_OneBuildsAndAllGetTheSameValidEntry()
    {
        var root = TestPaths.NewTempDir();
        try
        {
            const int callers = 6;
            using var start = new Barrier(callers);
            var tasks = Enumerable.Range(0, callers).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return BuiltInEncoders.Materialize(Mini.Name, root);
            }, TaskCreationOptions.LongRunning)).ToArray();
            var folders = (await Task.WhenAll(tasks)).Distinct().ToList();
            var folder = Assert.Single(folders);
            Assert.Null(BuiltInEncoderCache.Problem(Mini, folder));
            var parent = Path.GetDirectoryName(folder)!;
            Assert.Equal([folder], Directory.GetDirectories(parent));
            Assert.Equal([folder + ".lock"], Directory.GetFiles(parent));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ChecksumMismatch_NamesTheFileAndBothHashes_AndLeavesNoEntry()
    {
        var root = TestPaths.NewTempDir();
        try
        {
            var wrong = new string('0', 64);
            var error = Assert.Throws<InvalidDataException>(() =>
                BuiltInEncoders.Materialize(Mini with { VocabularySha256 = wrong }, root, null)).Message;
            Assert.Contains("vocab.txt", error);
            Assert.Contains(Mini.VocabularySha256, error);
            Assert.Contains(wrong, error);
            var parent = Path.Combine(root, Mini.Name);
            Assert.Empty(Directory.GetDirectories(parent));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void LockHeldByAnotherProcess_TimesOutNamingTheLockFile()
    {
        var root = TestPaths.NewTempDir();
        try
        {
            var entry = Path.Combine(root, Mini.CacheKey);
            Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            using var held = new FileStream(entry + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var error = Assert.Throws<TimeoutException>(() =>
                BuiltInEncoders.Materialize(Mini, root, null, TimeSpan.FromMilliseconds(300))).Message;
            Assert.Contains(entry + ".lock", error);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void LineEndings_CrLfAndLoneCrBecomeLf()
    {
        Assert.Equal("a\nb\nc\n\nd"u8.ToArray(), BuiltInEncoderCache.WithLfLineEndings("a\r\nb\rc\n\r\nd"u8.ToArray()));
    }
}
