// Runnable samples, one per component. Usage:
//   dotnet run --project samples/MlNetIso.Samples -- <isotropy|tempscale|istar-head|istar-finetune|save-load> [outDir]
// Every sample embeds with the built-in all-MiniLM-L6-v2 (SampleData.Encoder) and is run by
// tests/MlNetIso.Cli.Tests/SamplesTests.cs in CI.
using MlNetIso.Samples;

var name = args.Length > 0 ? args[0] : "";
if (name == "load-check")
    return args.Length == 3 ? SaveAndLoadInASecondProcess.LoadCheck(args[1], args[2], Console.Out) : 2;
var outDir = args.Length > 1 ? args[1] : Path.Combine("out", "samples", name);
Directory.CreateDirectory(outDir);
switch (name)
{
    case "isotropy": IsotropyInAPipeline.Run(outDir, Console.Out); return 0;
    case "tempscale": TempScaleEmbeddings.Run(outDir, Console.Out); return 0;
    case "istar-head": IStarHeadOnly.Run(outDir, Console.Out); return 0;
    case "istar-finetune": IStarFineTune.Run(outDir, Console.Out); return 0;
    case "save-load": SaveAndLoadInASecondProcess.Run(outDir, Console.Out); return 0;
    default:
        Console.Error.WriteLine("usage: MlNetIso.Samples <isotropy|tempscale|istar-head|istar-finetune|save-load> [outDir]");
        return 2;
}
