namespace MlNetIso.LoadCheck;

/// <summary>The command line of the load check.</summary>
internal sealed record LoadCheckArguments(string ModelPath, string InputPath, string OutputPath, string? BindTrainerColumn,
    bool PackagedLoader = false, string? SaveLoopTarget = null)
{
    public const string Usage =
        "usage: MlNetIso.LoadCheck --model <model.zip> --input <input.idv> --output <output.idv> [--bind-trainer <column>] [--loader mlnet|packaged]\n" +
        "       MlNetIso.LoadCheck --model <package.zip> --save-loop <target.zip>";

    /// <summary>Parses <c>--name value</c> pairs; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static LoadCheckArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            string name = args[i];
            if (name is not ("--model" or "--input" or "--output" or "--bind-trainer" or "--loader" or "--save-loop"))
                throw new ArgumentException($"unknown argument '{name}'.");
            if (i + 1 >= args.Length)
                throw new ArgumentException($"'{name}' needs a value.");
            values[name] = args[i + 1];
        }
        string model = Required(values, "--model");
        if (!File.Exists(model))
            throw new ArgumentException($"model file '{model}' does not exist.");
        if (values.TryGetValue("--save-loop", out var target))
            return new LoadCheckArguments(model, "", "", null, PackagedLoader: true, SaveLoopTarget: target);
        string input = Required(values, "--input");
        if (!File.Exists(input))
            throw new ArgumentException($"input file '{input}' does not exist.");
        string loader = values.GetValueOrDefault("--loader", "mlnet");
        if (loader is not ("mlnet" or "packaged"))
            throw new ArgumentException($"--loader must be 'mlnet' or 'packaged', not '{loader}'.");
        return new LoadCheckArguments(model, input, Required(values, "--output"), values.GetValueOrDefault("--bind-trainer"),
            loader == "packaged");
    }

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new ArgumentException($"'{name}' is required.");
}
