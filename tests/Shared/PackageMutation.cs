using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace MlNetIso.Tests;

/// <summary>
/// One random damage to a file, for the property-based fuzz tests: flipped bytes or a truncation of the whole file,
/// and, for a zip package, flipped bytes, a truncation or a removal of one entry's uncompressed content, or an edit of a
/// number or string in one of its JSON entries (then re-zipped, so the damage reaches the readers behind the zip
/// layer). Deterministic for a given <see cref="Kind"/> and <see cref="Seed"/>; <see cref="ToString"/> names it for
/// FsCheck's counterexample report.
/// </summary>
internal sealed record PackageMutation(int Kind, int Seed)
{
    /// <summary>Number of kinds for whole files (flip, truncate).</summary>
    public const int FileKinds = 2;

    /// <summary>Number of kinds for zip packages (the file kinds plus five entry-level ones).</summary>
    public const int ZipKinds = 7;

    private static readonly string[] NumberEdits =
        ["0", "-1", "1", "2", "3", "-3", "7", "65", "513", "100000", "2147483647", "-2147483648", "9223372036854775807", "1e308", "-1e-300", "0.5"];

    private static readonly string[] StringEdits = ["", " ", "x", "steps/0/", "../../etc/passwd", "System.String", "cuda", "fine-tune", "binary"];

    /// <summary>FsCheck generator of mutations of kind 0 … <paramref name="kinds"/> − 1.</summary>
    public static Arbitrary<PackageMutation> Arbitrary(int kinds) =>
        Gen.Choose(0, kinds - 1).Zip(Gen.Choose(0, int.MaxValue - 1)).Select(t => new PackageMutation(t.Item1, t.Item2)).ToArbitrary();

    /// <summary>Applies the mutation to a plain file's bytes (kinds modulo <see cref="FileKinds"/>).</summary>
    public byte[] ApplyToFile(byte[] bytes) => Damage(bytes, Kind % FileKinds, new Random(Seed));

    /// <summary>Applies the mutation to a zip package (kinds modulo <see cref="ZipKinds"/>).</summary>
    public byte[] ApplyToPackage(byte[] package)
    {
        var random = new Random(Seed);
        var kind = Kind % ZipKinds;
        if (kind < FileKinds) return Damage(package, kind, random);
        var entries = PackageEditor.Entries(package);
        var json = entries.Select((e, i) => (e, i)).Where(x => x.e.Name.EndsWith(".json", StringComparison.Ordinal)).Select(x => x.i).ToList();
        var index = kind >= 5 && json.Count > 0 ? json[random.Next(json.Count)] : random.Next(entries.Count);
        var (name, content) = entries[index];
        switch (kind)
        {
            case 2: entries[index] = (name, Damage(content, 0, random)); break;
            case 3: entries[index] = (name, Damage(content, 1, random)); break;
            case 4: entries.RemoveAt(index); break;
            case 5: entries[index] = (name, Encoding.UTF8.GetBytes(Replace(Encoding.UTF8.GetString(content), @"-?\d+(\.\d+)?([eE][-+]?\d+)?", NumberEdits, random))); break;
            default: entries[index] = (name, Encoding.UTF8.GetBytes(Replace(Encoding.UTF8.GetString(content), "(?<=: )\"[^\"]*\"", StringEdits.Select(s => $"\"{s}\"").ToArray(), random))); break;
        }
        return PackageEditor.Zip(entries);
    }

    public override string ToString() => $"{(Kind % ZipKinds) switch
    {
        0 => "flip bytes",
        1 => "truncate",
        2 => "flip bytes of an entry",
        3 => "truncate an entry",
        4 => "remove an entry",
        5 => "edit a JSON number",
        _ => "edit a JSON string",
    }} (seed {Seed.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>Kind 0: XOR 1–8 random bytes with random non-zero masks. Kind 1: keep a random prefix.</summary>
    private static byte[] Damage(byte[] bytes, int kind, Random random)
    {
        if (bytes.Length == 0) return bytes;
        if (kind == 1) return bytes[..random.Next(bytes.Length)];
        var copy = (byte[])bytes.Clone();
        for (int i = 0, n = random.Next(1, 9); i < n; i++)
            copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
        return copy;
    }

    /// <summary>Replaces one random match of <paramref name="pattern"/> in <paramref name="text"/> by one of <paramref name="values"/>.</summary>
    private static string Replace(string text, string pattern, string[] values, Random random)
    {
        var matches = Regex.Matches(text, pattern);
        if (matches.Count == 0) return text;
        var m = matches[random.Next(matches.Count)];
        return text[..m.Index] + values[random.Next(values.Length)] + text[(m.Index + m.Length)..];
    }
}
