using System.IO.Compression;
using Microsoft.ML;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Tests.Embedding;
using static MlNetIso.Transforms.Tests.Embedding.EmbeddingTestData;

namespace MlNetIso.Transforms.Tests.Persistence;

/// <summary>
/// Issue 13, rows 5 and 6, and item 4: every value a package carries is checked when it is loaded, with the rules the
/// options obey. Before, <c>"BatchSize": 0</c> loaded and the first prediction spun forever, and BatchSize −3 or
/// MaxTokens 1 failed inside ML.NET's cursor with "Splitter/consolidator worker encountered exception".
/// </summary>
public sealed class UntrustedPackageTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private static readonly Lazy<(TestEncoderFolder Encoder, byte[] Package)> Saved = new(() =>
    {
        var encoder = new TestEncoderFolder(seed: 41, maxPositions: 64);
        var ml = new MLContext(1);
        var data = Texts(ml, ["a"]);
        using var model = ml.Transforms.Text.ApplyTempScaleEmbedding("E", encoder.ModelPath, "Text").Fit(data);
        var stream = new MemoryStream();
        ml.Model.SavePackaged(model, data.Schema, stream);
        return (encoder, stream.ToArray());
    });

    private static byte[] Package => Saved.Value.Package;

    /// <summary>Loads <paramref name="package"/> and embeds two texts, on a worker with a time limit.</summary>
    private static Exception? LoadAndEmbed(byte[] package) => PackageEditor.Within(Limit, () =>
    {
        var ml = new MLContext(1);
        var model = ml.Model.LoadPackaged(new MemoryStream(package), out _);
        try
        {
            _ = ReadVectors(model.Transform(Texts(ml, ["a good film", "the plot was long and boring"])), "E");
        }
        finally
        {
            foreach (var step in PackagedModelOperations.Flatten(model).OfType<IDisposable>()) step.Dispose();
        }
    });

    public static TheoryData<string, string> BadSettings => new()
    {
        { "BatchSize", "0" }, { "BatchSize", "-3" }, { "BatchSize", "100000" }, { "MaxTokens", "1" }, { "MaxTokens", "2000000" },
        { "ReadAheadBatches", "0" }, { "ReadAheadBatches", "1000000" }, { "ChunkOverlap", "-1" }, { "IntraOpThreads", "-1" },
        { "GpuDeviceId", "-2" }, { "Temperature", "0" }, { "Temperature", "-1" }, { "Pooling", "7" },
    };

    /// <summary>The same value is refused by the options (at construction) and by the loader (in settings.json).</summary>
    [Theory]
    [MemberData(nameof(BadSettings))]
    public void BadSettingInAPackage_FailsAtLoad_LikeTheSameOption(string setting, string value)
    {
        var edited = PackageEditor.EditText(Package, "settings.json", json => PackageEditor.SetJson(json, setting, value));
        var error = Assert.IsType<InvalidDataException>(LoadAndEmbed(edited));
        Assert.Contains($"settings.json sets {setting} = ", error.Message);
        Assert.Contains("steps/0/", error.Message);

        var options = new TempScaleEmbeddingOptions { ModelPath = "m" };
        var property = typeof(TempScaleEmbeddingOptions).GetProperty(setting)!;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        property.SetValue(options, type.IsEnum
            ? Enum.ToObject(type, int.Parse(value, System.Globalization.CultureInfo.InvariantCulture))
            : Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture));
        var refused = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(setting, refused.ParamName);
        // One rule, one wording: the loader's message carries the options' rule text.
        var rule = refused.Message[(refused.Message.IndexOf(setting + " ", StringComparison.Ordinal) + setting.Length + 1)..];
        Assert.Contains(rule[..rule.IndexOf('.', StringComparison.Ordinal)], error.Message);
    }

    [Fact]
    public void MaxTokensAboveTheModelsPositions_FailsAtLoad_NamingTheLimit()
    {
        var edited = PackageEditor.EditText(Package, "settings.json", json => PackageEditor.SetJson(json, "MaxTokens", "65"));
        var error = Assert.IsType<InvalidDataException>(LoadAndEmbed(edited));
        Assert.Contains("MaxTokens = 65", error.Message);
        Assert.Contains("64 positions", error.Message);
    }

    [Fact]
    public void UnchangedPackage_Loads()
    {
        Assert.Null(LoadAndEmbed(Package));
    }

    [Fact]
    public void ZipBomb_IsRefusedBeforeItIsDecompressed()
    {
        var entries = PackageEditor.Entries(Package);
        var bomb = PackageEditor.Zip(entries.Select(e => e.Name.EndsWith("vocab.txt", StringComparison.Ordinal) ? (e.Name, new byte[64 << 20]) : e),
            CompressionLevel.SmallestSize);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.IsType<InvalidDataException>(LoadAndEmbed(bomb));
        Assert.Contains("zip bomb", error.Message);
        Assert.Contains("vocab.txt", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    /// <summary>
    /// .NET's ZipArchive does not check CRC-32 on read, so a damaged byte inside an entry reached the readers as garbage
    /// (the fuzz test found a damaged input-schema.zip on which ML.NET's loader spun for minutes). Every entry, nested
    /// ML.NET zips included, is now checked against its recorded CRC-32.
    /// </summary>
    [Theory]
    [InlineData("steps/0/vocab.txt", null)]
    [InlineData("input-schema.zip", "Schema")]
    public void ByteDamagedInsideAnEntry_IsCaughtByItsChecksum(string entry, string? nestedEntry)
    {
        // Entries stored uncompressed, so that the inverted byte is data, not deflate structure; the recorded CRC is kept.
        var stored = PackageEditor.Zip(PackageEditor.Entries(Package).Select(e => e.Name == entry && nestedEntry is not null
            ? (e.Name, FlipInsideEntry(PackageEditor.Zip(PackageEditor.Entries(e.Bytes), CompressionLevel.NoCompression), nestedEntry))
            : e), CompressionLevel.NoCompression);
        var damaged = nestedEntry is null ? FlipInsideEntry(stored, entry) : stored;
        var error = Assert.IsType<InvalidDataException>(LoadAndEmbed(damaged));
        Assert.Contains("CRC-32", error.Message);
        Assert.Contains(nestedEntry ?? entry, error.Message);
    }

    /// <summary>The zip with one byte of <paramref name="name"/>'s (uncompressed, stored) data inverted, its recorded CRC kept.</summary>
    private static byte[] FlipInsideEntry(byte[] zip, string name)
    {
        var copy = (byte[])zip.Clone();
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        for (var i = 0; i + 30 + nameBytes.Length < copy.Length; i++)
        {
            // Local file header: PK\3\4, …, name length at 26, extra length at 28, name at 30, then the data.
            if (copy[i] != 0x50 || copy[i + 1] != 0x4B || copy[i + 2] != 3 || copy[i + 3] != 4) continue;
            int nameLength = BitConverter.ToUInt16(copy, i + 26), extraLength = BitConverter.ToUInt16(copy, i + 28);
            if (!copy.AsSpan(i + 30, nameLength).SequenceEqual(nameBytes)) continue;
            copy[i + 30 + nameLength + extraLength + 2] ^= 0xFF;
            return copy;
        }
        throw new InvalidOperationException($"entry '{name}' not found");
    }

    public static TheoryData<string, string, string> BadManifests => new()
    {
        { "Steps", "null", "lists no steps" },
        { "Version", "0", "not a valid version" },
        { "Entry", "\"steps/1/\"", "which is not under 'steps/0/'" },
        { "Entry", "\"steps/0/../../x/\"", "which is not under 'steps/0/'" },
        { "Reader", "null", "without a reader type" },
        { "Reader", "\"System.String\"", "is not an IPackagedStepReader" },
        { "Kind", "\"other\"", "unknown step kind" },
    };

    [Theory]
    [MemberData(nameof(BadManifests))]
    public void EditedManifest_FailsAtLoad_SayingWhat(string field, string value, string expected)
    {
        var edited = PackageEditor.EditText(Package, "manifest.json", json => PackageEditor.SetJson(json, field, value));
        Assert.Contains(expected, Assert.IsType<InvalidDataException>(LoadAndEmbed(edited)).Message);
    }

    [Fact]
    public void VocabularyLargerThanTheModelsTable_FailsAtLoad()
    {
        var edited = PackageEditor.EditText(Package, "vocab.txt", vocab => vocab + string.Join('\n', Enumerable.Range(0, 50).Select(i => $"extra{i}")) + "\n");
        var error = Assert.IsType<InvalidDataException>(LoadAndEmbed(edited));
        Assert.Contains("word-embedding table", error.Message);
    }
}
