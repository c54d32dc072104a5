using MlNetIso.Onnx.Attention;
using MlNetIso.Transforms.Encoders;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>tempscale</c>: rewrites every attention softmax of an ONNX encoder to softmax((QKᵀ/√d + M)/τ)
/// (Zhou et al., arXiv 2410.24200) and writes a normal ONNX file that any ONNX Runtime host can serve.
/// </summary>
internal static class TempScaleVerb
{
    public static int Run(CliArguments args, IAnsiConsole console)
    {
        var model = EncoderFolder.Open(args.String("model") ?? DefaultPaths.DefaultModel).ModelPath;
        var temperature = args.Double("temperature", 0.8, 1e-6, 1e6);
        var output = args.String("output") ?? Path.Combine("out", $"model.tau{temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}.onnx");
        args.RejectUnknown();
        if (!File.Exists(model))
            throw new CliInputException($"ONNX model '{model}' does not exist.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var result = TempScale.Rewrite(model, output, (float)temperature);
        console.MarkupLine($"Rewrote [bold]{result.RewrittenSites}[/] attention softmax site(s) of '{Markup.Escape(model)}' with τ = {temperature}.");
        console.MarkupLine($"Wrote [green]{Markup.Escape(output)}[/].");
        return CliApp.Ok;
    }
}
