using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.IO;

namespace MlNetIso.Cli.Inputs;

/// <summary>
/// Produces the <c>Features</c> column the CLI measures: either vectors read from a file (word2vec/GloVe text or numeric
/// CSV) or texts embedded lazily by the TempScale embedding transform.
/// </summary>
internal static class VectorSource
{
    /// <summary>Name of the vector column in every view this class builds.</summary>
    public const string Column = "Features";

    private sealed class VectorRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    /// <summary>Reads a vector file into a view with a known-size <c>Features</c> column.</summary>
    public static (IDataView Data, int Dimension, int Rows) FromVectorFile(MLContext ml, string path, int? limit)
    {
        if (!File.Exists(path)) throw new CliInputException($"Vector file '{path}' does not exist.");
        IReadOnlyList<float[]> vectors;
        int dimension;
        try
        {
            if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
                (vectors, dimension) = ReadNumericCsv(path, limit);
            else
            {
                var wv = VectorTextFile.Read(path, limit);
                (vectors, dimension) = (wv.Vectors, wv.Dimension);
            }
        }
        catch (FormatException e)
        {
            throw new CliInputException(e.Message, e);
        }
        return (FromVectors(ml, vectors, dimension), dimension, vectors.Count);
    }

    /// <summary>Wraps in-memory vectors of length <paramref name="dimension"/> as a view.</summary>
    public static IDataView FromVectors(MLContext ml, IEnumerable<float[]> vectors, int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(vectors.Select(v => new VectorRow { Features = v }), schema);
    }

    /// <summary>A lazy view of the texts of <paramref name="table"/> (column <c>Text</c>).</summary>
    public static IDataView Texts(MLContext ml, TextTable table, int? limit)
    {
        var rows = table.Rows().Select(r => new TextRow { Text = r.Text });
        if (limit is int n) rows = rows.Take(n);
        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Texts of <paramref name="table"/> embedded into <c>Features</c> with the given encoder options.</summary>
    public static IDataView EmbeddedTexts(MLContext ml, TextTable table, TempScaleEmbeddingOptions options, int? limit)
    {
        var texts = Texts(ml, table, limit);
        return ml.Transforms.Text.ApplyTempScaleEmbedding(Column, "Text", options).Fit(texts).Transform(texts);
    }

    /// <summary>Encoder options from the common CLI switches (--model, --temperature, --max-tokens, --batch, --execution-provider).</summary>
    public static TempScaleEmbeddingOptions EncoderOptions(CliArguments args)
    {
        var model = args.String("model") ?? DefaultPaths.DemoModel;
        if (!File.Exists(model))
            throw new CliInputException($"ONNX model '{model}' does not exist (use --model to point at an exported encoder's model.onnx).");
        var options = new TempScaleEmbeddingOptions
        {
            ModelPath = model,
            Temperature = (float)args.Double("temperature", 1.0, 1e-6, 1e6),
            BatchSize = args.Int("batch", 32, 1, 4096),
        };
        var maxTokens = args.Int("max-tokens", 0, 0, 1 << 20);
        if (maxTokens > 0) options.MaxTokens = maxTokens;
        var provider = args.String("execution-provider", "cpu")!;
        options.ExecutionProvider = provider.ToLowerInvariant() switch
        {
            "cpu" => EmbeddingExecutionProvider.Cpu,
            "cuda" => EmbeddingExecutionProvider.Cuda,
            "auto" => EmbeddingExecutionProvider.Auto,
            _ => throw new CliUsageException($"--execution-provider must be cpu, cuda or auto, got '{provider}'."),
        };
        return options;
    }

    private static (IReadOnlyList<float[]> Vectors, int Dimension) ReadNumericCsv(string path, int? limit)
    {
        var vectors = new List<float[]>();
        var dimension = -1;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (limit is int n && vectors.Count >= n) break;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(',');
            var values = new float[fields.Length];
            var numeric = true;
            for (var i = 0; i < fields.Length && numeric; i++)
                numeric = float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]);
            if (!numeric)
            {
                if (lineNumber == 1) continue; // a header row
                throw new CliInputException($"Line {lineNumber} of '{path}' is not a row of numbers.");
            }
            if (values.Any(v => !float.IsFinite(v)))
                throw new CliInputException($"Line {lineNumber} of '{path}' holds NaN or infinity.");
            if (dimension < 0) dimension = values.Length;
            else if (values.Length != dimension)
                throw new CliInputException($"Line {lineNumber} of '{path}' has {values.Length} values; earlier rows have {dimension}.");
            vectors.Add(values);
        }
        if (vectors.Count == 0) throw new CliInputException($"Vector file '{path}' holds no vectors.");
        return (vectors, dimension);
    }
}
