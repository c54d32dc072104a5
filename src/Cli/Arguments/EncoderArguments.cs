using System.CommandLine;
using MlNetIso.Cli.Verbs;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Cli.Arguments;

/// <summary>
/// The options that configure the TempScale embedding transform — <c>--model</c>, <c>--temperature</c>,
/// <c>--max-tokens</c>, <c>--long-text</c>, <c>--batch</c>, <c>--execution-provider</c> — shared by every verb that embeds text. Verbs that compare
/// take several models and temperatures.
/// </summary>
internal sealed class EncoderArguments
{
    private readonly Option<string[]>? _models;
    private readonly Option<string>? _model;
    private readonly Option<string[]>? _temperatures;
    private readonly Option<double>? _temperature;
    private readonly double[] _defaultTemperatures;

    public EncoderArguments(bool manyModels = false, bool manyTemperatures = false, double[]? defaultTemperatures = null)
    {
        const string model = "The encoder: a built-in name (all-MiniLM-L6-v2, snowflake-arctic-embed-xs, mlnetiso-mini), an encoder folder " +
                             "(model.onnx, vocab.txt, config files — e.g. one written by 'mlnetiso tempscale'), or a model.onnx path.";
        const string tau = "TempScale attention temperature τ > 0: every attention softmax becomes softmax((QKᵀ/√d + M)/τ). " +
                           "1 = the encoder unchanged; τ < 1 sharpens attention (counters length collapse).";
        _defaultTemperatures = defaultTemperatures ?? [1.0];
        if (manyModels)
        {
            _models = CliOption.List("--model", model + " Repeat (or separate with commas) to compare encoders.", ModelReference.Default);
            _models.HelpName = "name|path";
        }
        else
        {
            _model = CliOption.Create("--model", model, ModelReference.Default);
            _model.HelpName = "name|path";
        }
        if (manyTemperatures)
        {
            _temperatures = CliOption.List("--temperature", tau + " Repeat or separate with commas to compare several.",
                string.Join(',', _defaultTemperatures.Select(CliOption.Format)), "--temperatures");
            _temperatures.HelpName = "τ";
        }
        else
        {
            _temperature = CliOption.Create("--temperature", tau, _defaultTemperatures[0], "--tau").InRange(1e-6, 1e6);
            _temperature.HelpName = "τ";
        }
        MaxTokens = CliOption.Optional<int?>("--max-tokens", "Longest token sequence fed to the encoder, [CLS] and [SEP] included.",
            "the model's position limit (max_position_embeddings in config.json), else 512");
        MaxTokens.Validators.Add(r =>
        {
            int? value;
            try
            {
                value = r.GetValueOrDefault<int?>();
            }
            catch (InvalidOperationException)
            {
                return; // the parse error says what is wrong
            }
            if (value is < 3 and var n) r.AddError($"--max-tokens must be at least 3 ([CLS], a token, [SEP]), got {n}.");
        });
        MaxTokens.HelpName = "n";
        LongText = CliOption.Create("--long-text", "Texts longer than --max-tokens: 'truncate' keeps the start; 'chunk' embeds overlapping " +
                                                   "windows and averages them.", "truncate");
        LongText.AcceptOnlyFromAmong("truncate", "chunk");
        Batch = CliOption.Create("--batch", "Sequences per ONNX Runtime call (memory grows with it; speed rarely changes much).", 32).InRange(1, 4096);
        Batch.HelpName = "n";
        ExecutionProvider = CliOption.Create("--execution-provider",
            "ONNX Runtime provider: cpu; cuda (needs the GPU build of the tool: dotnet build src/Cli -p:OnnxRuntimeFlavor=Gpu); " +
            "auto = CUDA when it can be used, else the CPU, said once.", "cpu");
        ExecutionProvider.AcceptOnlyFromAmong("cpu", "cuda", "auto");
    }

    public Option<int?> MaxTokens { get; }
    public Option<string> LongText { get; }
    public Option<int> Batch { get; }
    public Option<string> ExecutionProvider { get; }

    /// <summary>The options, in help order.</summary>
    public IEnumerable<Option> All =>
    [
        (Option?)_models ?? _model!, (Option?)_temperatures ?? _temperature!, MaxTokens, LongText, Batch, ExecutionProvider,
    ];

    /// <summary>The models named on the command line (or the default), as given.</summary>
    public IReadOnlyList<string> Models(ParseResult parse)
    {
        if (_model is not null) return [parse.GetValue(_model)!];
        var given = parse.GetValue(_models!);
        return given is { Length: > 0 } ? given.Distinct(StringComparer.Ordinal).ToList() : [ModelReference.Default];
    }

    /// <summary>The temperatures named on the command line (or the default).</summary>
    public IReadOnlyList<float> Temperatures(ParseResult parse)
    {
        if (_temperature is not null) return [(float)parse.GetValue(_temperature)];
        var given = parse.GetValue(_temperatures!);
        var values = given is { Length: > 0 } ? CliOption.Numbers(_temperatures!, given, 1e-6, 1e6) : _defaultTemperatures;
        return values.Select(v => (float)v).Distinct().ToList();
    }

    /// <summary>True when the user gave --model (or --temperature) explicitly.</summary>
    public bool ModelGiven(ParseResult parse) =>
        parse.GetResult((Option?)_models ?? _model!) is { Implicit: false } || parse.GetResult((Option?)_temperatures ?? _temperature!) is { Implicit: false };

    /// <summary>Embedding options for <paramref name="model"/> at <paramref name="temperature"/> (the model resolved to a path).</summary>
    /// <remarks>
    /// Chunk windows overlap by the library's 64 tokens, or by a quarter of the window when <c>--max-tokens</c> makes
    /// it shorter than that allows.
    /// </remarks>
    public TempScaleEmbeddingOptions For(ParseResult parse, string model, float temperature, VerbContext context)
    {
        var options = new TempScaleEmbeddingOptions
        {
            ModelPath = ModelReference.Resolve(model),
            Temperature = temperature,
            MaxTokens = parse.GetValue(MaxTokens),
            LongText = parse.GetValue(LongText) == "chunk" ? LongTextMode.Chunk : LongTextMode.Truncate,
            BatchSize = parse.GetValue(Batch),
            ExecutionProvider = parse.GetValue(ExecutionProvider) switch
            {
                "cuda" => EmbeddingExecutionProvider.Cuda,
                "auto" => EmbeddingExecutionProvider.Auto,
                _ => EmbeddingExecutionProvider.Cpu,
            },
            OnnxRuntimeLogLevel = context.OnnxRuntimeLogLevel,
        };
        if (options.MaxTokens is { } max) options.ChunkOverlap = Math.Min(options.ChunkOverlap, (max - 2) / 4);
        return options;
    }

    /// <summary>A description of the encoder settings for messages and reports.</summary>
    public static string Describe(string model, float temperature) =>
        $"{ModelReference.Display(model)}, τ = {CliOption.Format(temperature)}";
}
