using System.Text;

namespace MlNetIso.Service.Corpus;

/// <summary>
/// The search corpus: the plot-summary sentences of Pang &amp; Lee's subjectivity data set v1.0 (CC BY 4.0), bundled with
/// the service from the repository's data/ folder.
/// </summary>
public static class CorpusDocuments
{
    /// <summary>The file, relative to the data folder.</summary>
    public const string RelativePath = "subjectivity-v1/plot.tok.gt9.5000";

    /// <summary>The first <paramref name="count"/> non-empty sentences.</summary>
    /// <exception cref="FileNotFoundException">The bundled file is missing; the message names it.</exception>
    public static IReadOnlyList<string> Read(string dataFolder, int count)
    {
        var path = Path.Combine(dataFolder, RelativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The search corpus '{path}' is missing (Service:DataFolder points at the bundled data/ folder).", path);
        return File.ReadLines(path, Encoding.UTF8).Where(l => l.Trim().Length > 0).Take(count).ToArray();
    }
}
