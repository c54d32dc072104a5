using System.Text.Json;
using MlNetIso.Transforms.Embedding.Tokenization;

namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>
/// The committed reference data: <c>corpus.json</c> (texts) and <c>hf-bert-expected.json</c> (ids produced by
/// Hugging Face's python BertTokenizer logic, see Fixtures/README.md), loaded from the test output directory.
/// </summary>
internal static class HfFixture
{
    public sealed record CorpusRow(string Id, string Source, string Text);

    public sealed record Mode(string Name, string Vocab, bool LowerCase, bool? StripAccents, bool TokenizeChineseChars);

    public sealed record Meta(string Generator, string Python, string Unicodedata, int[] MaxLengths, Mode[] Modes);

    public sealed record Result(string Mode, string Id, string[] Tokens, int[] SubwordIds, Dictionary<string, int[]> Encoded);

    public sealed record Expected(Meta Meta, Result[] Results);

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static string Dir { get; } = Path.Combine(AppContext.BaseDirectory, "Embedding", "Tokenization", "Fixtures");

    public static IReadOnlyList<CorpusRow> Corpus { get; } =
        JsonSerializer.Deserialize<CorpusRow[]>(File.ReadAllText(Path.Combine(Dir, "corpus.json")), Json)!;

    public static Expected Reference { get; } =
        JsonSerializer.Deserialize<Expected>(File.ReadAllText(Path.Combine(Dir, "hf-bert-expected.json")), Json)!;

    public static Mode GetMode(string name) => Reference.Meta.Modes.Single(m => m.Name == name);

    public static string Text(string id) => Corpus.Single(r => r.Id == id).Text;

    public static BertTextTokenizer Tokenizer(string modeName)
    {
        var m = GetMode(modeName);
        return BertTextTokenizer.Create(Path.Combine(Dir, m.Vocab), new BertTextTokenizerOptions
        {
            LowerCase = m.LowerCase,
            StripAccents = m.StripAccents,
            TokenizeChineseChars = m.TokenizeChineseChars,
        });
    }

    public static IEnumerable<Result> ResultsOf(string modeName) => Reference.Results.Where(r => r.Mode == modeName);

    public static TheoryData<string> ModeNames()
    {
        var data = new TheoryData<string>();
        foreach (var m in Reference.Meta.Modes) data.Add(m.Name);
        return data;
    }
}
