using System.CommandLine;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.IO;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Attention;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.IO;
using MlNetIso.Transforms.Encoders;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>tempscale</c>: rewrites every attention softmax of an encoder to softmax((QKᵀ/√d + M)/τ) (Zhou et al.,
/// arXiv 2410.24200) and writes an encoder FOLDER — the rewritten model.onnx with the source's vocab.txt, config.json,
/// tokenizer and sentence-transformers files — so <c>embed --model FOLDER</c> and <c>report --model FOLDER</c> use it
/// directly, and any ONNX Runtime host can serve its model.onnx.
/// </summary>
internal sealed class TempScaleVerb : Verb
{
    private readonly Option<string> _model = CliOption.Create("--model",
        "The encoder to rewrite: a built-in name, an encoder folder or a model.onnx path (its folder holds vocab.txt).", ModelReference.Default);
    private readonly Option<double> _temperature = CliOption.Create("--temperature",
        "τ > 0 applied to every attention softmax. Rewrites compose: rewriting a τ₁ model with τ₂ gives τ₁·τ₂.", 0.8, "--tau").InRange(1e-6, 1e6);
    private readonly Option<string?> _output = CliOption.Optional<string>("--output",
        "The encoder folder to write (created if needed; files of the same names are replaced, atomically).", "out/MODEL-tauτ, e.g. out/all-MiniLM-L6-v2-tau0.8");

    public TempScaleVerb()
    {
        _model.HelpName = "name|path";
        _temperature.HelpName = "τ";
        _output.HelpName = "folder";
    }

    public override string Name => "tempscale";
    public override string Summary => "Rewrite an encoder's attention with a temperature τ and write it as an encoder folder.";
    public override string? Details => "The folder (model.onnx, vocab.txt, config and tokenizer files) works as --model for embed and report.";
    public override int Order => 30;
    public override IEnumerable<Option> Options => [_model, _temperature, _output];

    public override int Run(ParseResult parse, VerbContext context)
    {
        var model = parse.GetValue(_model)!;
        var temperature = (float)parse.GetValue(_temperature);
        var output = parse.GetValue(_output)
                     ?? Path.Combine("out", $"{ModelReference.ShortName(model)}-tau{CliOption.Format(temperature)}");
        var source = EncoderFolder.Open(ModelReference.Resolve(model));
        if (string.Equals(Path.GetFullPath(output).TrimEnd(Path.DirectorySeparatorChar), source.Folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            throw new CliUsageException($"--output '{DisplayPath.Of(output, true)}' is the source model's own folder; choose another folder so the original stays intact.");
        OutputPaths.EnsureWritableFolder(output, "--output");
        if (!source.HasModel) throw new FileNotFoundException($"Encoder '{ModelReference.Display(model)}' has no {Path.GetFileName(source.ModelPath)}.", source.ModelPath);

        var onnx = File.ReadAllBytes(source.ModelPath);
        if (OnnxExternalData.Any(OnnxModelFile.Parse(onnx, DisplayPath.Of(source.ModelPath))))
            throw new CliInputException(
                $"'{DisplayPath.Of(source.ModelPath)}' keeps its weights in external data files, which an encoder folder written elsewhere would not find; " +
                "rewrite it in place with the library's TempScale.Rewrite(path, path-in-the-same-folder, τ).");
        var result = TempScale.Rewrite(onnx, temperature);
        var content = new EncoderFolderContent
        {
            OnnxModel = result.Model,
            Vocabulary = source.ReadVocabulary(),
            Tokenizer = File.Exists(Path.Combine(source.Folder, EncoderFolder.TokenizerConfigFileName)) ? source.Tokenizer : null,
            Config = TryLoadConfig(source),
            SentenceTransformers = source.SentenceTransformers is { Pooling: not null } st ? st : null,
        };
        if (content.SentenceTransformers is { WordEmbeddingDimension: null } && content.Config is null)
            content = content with { SentenceTransformers = null };
        var written = EncoderFolder.Write(output, content);
        if (content.Config is null && source.HasConfig)
            AtomicFile.WriteAllBytes(written.ConfigPath, File.ReadAllBytes(source.ConfigPath)); // a config BertConfig cannot describe: copied as is

        context.Say($"Rewrote [bold]{result.RewrittenSites}[/] attention softmax site(s) of {Markup.Escape(ModelReference.Display(model))} with τ = " +
                    $"{CliOption.Format(temperature)}{(Math.Abs(result.Temperature - temperature) > 1e-6 ? $" (it now applies τ = {CliOption.Format(result.Temperature)} overall)" : "")}.");
        var files = Directory.GetFiles(written.Folder).Select(Path.GetFileName).Where(f => !f!.StartsWith('.')).Order(StringComparer.Ordinal);
        context.Wrote(written.Folder, $"encoder folder: {string.Join(", ", files)}", folder: true);
        context.Say($"Use it with: [bold]mlnetiso embed --model {Markup.Escape(DisplayPath.Of(written.Folder))}[/]");
        return ExitCodes.Ok;
    }

    private static BertConfig? TryLoadConfig(EncoderFolder source)
    {
        if (!source.HasConfig) return null;
        try
        {
            return source.LoadBertConfig();
        }
        catch (InvalidDataException)
        {
            return null; // not a BERT config the contract can write; copied byte for byte instead
        }
    }
}
