using System.Globalization;

namespace MlNetIso.Transforms.IO;

/// <summary>
/// Reader for pretrained word vectors in the GloVe / word2vec text layout: one vector per line,
/// <c>word v1 v2 … vD</c>, fields separated by spaces or tabs, numbers in invariant culture. An optional word2vec
/// header line <c>count dimension</c> (two integers) is recognised and checked. Blank lines are ignored.
/// </summary>
public static class VectorTextFile
{
    /// <summary>Reads the whole file (or its first <paramref name="maxRows"/> vectors).</summary>
    /// <param name="path">File path.</param>
    /// <param name="maxRows">Optional cap on the number of vectors read.</param>
    /// <returns>Words and vectors in file order.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FormatException">Ragged or unparsable line, non-finite value, or an empty file;
    /// the message names the file and the 1-based line number.</exception>
    public static WordVectors Read(string path, int? maxRows = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Vector file not found: {path}", path);
        if (maxRows is < 0) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "maxRows must be ≥ 0.");
        var words = new List<string>();
        var vectors = new List<float[]>();
        int dimension = -1;
        int? headerCount = null;
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (maxRows is int cap && vectors.Count >= cap) break;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (lineNumber == 1 && fields.Length == 2
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hc)
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int hd))
            {
                headerCount = hc;
                dimension = hd;
                continue;
            }
            if (fields.Length < 2)
                throw new FormatException($"{path}, line {lineNumber}: expected 'word v1 … vD', found {fields.Length} field(s).");
            int d = fields.Length - 1;
            if (dimension < 0) dimension = d;
            else if (d != dimension)
                throw new FormatException($"{path}, line {lineNumber}: {d} values, expected {dimension} (ragged line).");
            var v = new float[d];
            for (int j = 0; j < d; j++)
            {
                if (!float.TryParse(fields[j + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out float x) || !float.IsFinite(x))
                    throw new FormatException($"{path}, line {lineNumber}: value {j + 1} ('{fields[j + 1]}') is not a finite number.");
                v[j] = x;
            }
            words.Add(fields[0]);
            vectors.Add(v);
        }
        if (vectors.Count == 0 && maxRows != 0)
            throw new FormatException($"{path}: no vectors found.");
        if (headerCount is int expected && maxRows is null && expected != vectors.Count)
            throw new FormatException($"{path}, line 1: header announces {expected} vectors, file holds {vectors.Count}.");
        return new WordVectors(words, vectors, Math.Max(dimension, 0));
    }
}
