using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.IO;
using MlNetIso.Cli.Rendering;
using MlNetIso.Geometry;
using MlNetIso.Onnx.IO;
using MlNetIso.Onnx.Weights;
using MlNetIso.Trainers.IStar;
using MlNetIso.Transforms.Encoders;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>spectrum</c>: singular-value diagnostics of a model's 2-D weight matrices — the softmax-bottleneck read-outs of
/// Godey et al. (arXiv 2404.07647) applied to every dense layer: singular entropy (normalised by log k), effective rank
/// exp(H), stable rank and the share of singular values below a tolerance, per matrix (or for the one named by
/// <c>--tensor</c>), as a table, a CSV and plots (normalised spectra; normalised entropy per layer and role).
/// </summary>
internal sealed class SpectrumVerb : Verb
{
    /// <summary>Files written into the output folder.</summary>
    public const string CsvFile = "spectrum.csv", PlotFile = "spectrum.png", LayerPlotFile = "spectrum-layers.png";

    private readonly Option<string> _model = CliOption.Create("--model",
        "The model: a built-in encoder name, an encoder folder, a model.onnx file, a .safetensors file or an I-STAR package (.zip from train / SavePackaged).", ModelReference.Default);
    private readonly Option<string?> _tensor = CliOption.Optional<string>("--tensor",
        "Only this matrix: an initializer name (onnx::MatMul_1234) or a parameter name (encoder.layer.0.attention.self.query.weight).",
        "every 2-D weight matrix");
    private readonly Option<double> _tolerance = CliOption.Create("--tolerance",
        "Relative tolerance of the 'below tol' column: the share of singular values under tolerance·σ₁.",
        SingularSpectrum.DefaultRelativeTolerance).InRange(SingularSpectrum.MinimumRelativeTolerance, 1);
    private readonly Option<bool> _list = CliOption.Switch("--list", "Only list the 2-D weight matrices (name, shape, role, the operators reading them).");
    private readonly Option<bool> _noPlot = CliOption.Switch("--no-plot", "Write the CSV only, no PNG plots.");
    private readonly Option<string> _out = CliOption.Create("--out", "The folder to write spectrum.csv and the plots into.", Path.Combine("out", "spectrum"));

    public SpectrumVerb()
    {
        _model.HelpName = "name|path";
        _tensor.HelpName = "name";
        _tolerance.HelpName = "fraction";
        _out.HelpName = "folder";
    }

    public override string Name => "spectrum";
    public override string Summary => "Singular-value diagnostics of a model's weight matrices (softmax bottleneck): singular entropy, effective rank, share below a tolerance.";
    public override string? Details =>
        "Reads every 2-D floating-point initializer of an ONNX model (or tensor of a safetensors file); the role (Q/K/V/attention output/FFN) and layer come from the parameter names.";
    public override int Order => 70;
    public override IEnumerable<Option> Options => [_model, _tensor, _tolerance, _list, _noPlot, _out];

    /// <summary>One matrix to measure, from either file format.</summary>
    private sealed record Entry(string Name, string Stored, int Rows, int Columns, string Readers, Func<float[]> Read)
    {
        public int? Layer => WeightMatrixNaming.Layer(Name);
        public WeightMatrixRole Role => WeightMatrixNaming.Role(Name);
    }

    public override int Run(ParseResult parse, VerbContext context)
    {
        var model = parse.GetValue(_model)!;
        var tensor = parse.GetValue(_tensor);
        var tolerance = parse.GetValue(_tolerance);
        var outDir = parse.GetValue(_out)!;
        var (source, entries) = Open(model);
        if (entries.Count == 0)
            throw new CliInputException($"'{source}' holds no 2-D floating-point weight matrix.");
        entries = [.. entries.OrderBy(e => e.Layer is null ? (e.Role == WeightMatrixRole.Embedding ? -1 : int.MaxValue) : e.Layer.Value)
            .ThenBy(e => e.Role)];
        if (tensor is not null)
        {
            var match = entries.FirstOrDefault(e => e.Stored == tensor) ?? entries.FirstOrDefault(e => e.Name == tensor);
            if (match is null)
            {
                var near = entries.Where(e => e.Name.Contains(tensor, StringComparison.OrdinalIgnoreCase)).Select(e => e.Name).Take(5).ToList();
                throw new CliInputException($"'{source}' has no 2-D weight matrix named '{tensor}'" +
                    (near.Count > 0 ? $"; similar names: {string.Join(", ", near)}." : $"; `mlnetiso spectrum --model {model} --list` lists its {entries.Count} matrices."));
            }
            entries = [match];
        }

        if (parse.GetValue(_list))
        {
            var listing = new Table().AddColumn("matrix").AddColumn("stored as").AddColumn(new TableColumn("layer").RightAligned())
                .AddColumn("role").AddColumn(new TableColumn("shape").RightAligned()).AddColumn("read by");
            foreach (var e in entries)
                listing.AddRow(Markup.Escape(e.Name), Markup.Escape(e.Stored == e.Name ? "" : e.Stored), LayerText(e.Layer), RoleText(e.Role),
                    $"{e.Rows} × {e.Columns}", Markup.Escape(e.Readers));
            context.Console.Ansi.Write(listing);
            context.Say($"{entries.Count} weight matrices in {Markup.Escape(source)}.");
            return ExitCodes.Ok;
        }

        OutputPaths.EnsureWritableFolder(outDir, "--out");
        var watch = Stopwatch.StartNew();
        var measured = context.WithProgress($"singular values of {entries.Count} matrices of {ModelReference.Display(model)}", entries.Count, progress =>
        {
            var list = new List<(Entry Entry, SingularSpectrum Spectrum)>();
            foreach (var e in entries)
            {
                context.ThrowIfInterrupted();
                SingularSpectrum spectrum;
                try
                {
                    spectrum = SingularSpectrum.Measure(e.Read(), e.Rows, e.Columns, tolerance);
                }
                catch (ArgumentException x)
                {
                    throw new CliInputException($"'{source}', matrix '{e.Name}': {x.Message}", x);
                }
                list.Add((e, spectrum));
                progress.Advance();
            }
            return list;
        });
        watch.Stop();

        Show(measured, tolerance, context);
        var inv = CultureInfo.InvariantCulture;
        var csv = new List<string> { "matrix,stored_as,layer,role,rows,columns,sigma_max,singular_entropy,normalized_entropy,effective_rank,effective_rank_share,stable_rank,share_below_tolerance,tolerance" };
        foreach (var (e, s) in measured)
            csv.Add(string.Join(',', [Csv(e.Name), Csv(e.Stored), e.Layer?.ToString(inv) ?? "", e.Role.ToString(), e.Rows.ToString(inv), e.Columns.ToString(inv),
                R(s.SingularValues[0]), R(s.SingularEntropy), R(s.NormalizedSingularEntropy), R(s.EffectiveRank), R(s.EffectiveRank / s.SingularValues.Count),
                R(s.StableRank), R(s.ShareBelowTolerance), R(tolerance)]));
        AtomicFile.WriteAllText(Path.Combine(outDir, CsvFile), string.Join('\n', csv) + "\n");
        context.Wrote(Path.Combine(outDir, CsvFile), "one row per matrix, CSV");
        if (!parse.GetValue(_noPlot))
        {
            var name = ModelReference.ShortName(model);
            Charts.SingularSpectra(measured.Select(m => (m.Entry.Name, RoleText(m.Entry.Role), (int)m.Entry.Role, m.Spectrum.SingularValues)).ToList(),
                Path.Combine(outDir, PlotFile), $"Singular spectra of the weight matrices — {name}");
            context.Wrote(Path.Combine(outDir, PlotFile), "normalised singular spectra");
            var layered = measured.Where(m => m.Entry.Layer is not null).ToList();
            if (layered.Select(m => m.Entry.Layer).Distinct().Count() >= 2)
            {
                var series = layered.GroupBy(m => m.Entry.Role).OrderBy(g => g.Key)
                    .Select(g => (RoleText(g.Key), (int)g.Key, g.GroupBy(m => m.Entry.Layer!.Value).OrderBy(l => l.Key)
                        .Select(l => ((double)l.Key, l.Average(m => m.Spectrum.NormalizedSingularEntropy))).ToList() as IReadOnlyList<(double, double)>))
                    .ToList();
                Charts.LayerLines(series, Path.Combine(outDir, LayerPlotFile), $"Normalised singular entropy H/log k per layer — {name}",
                    "layer", "normalised singular entropy H / log k");
                context.Wrote(Path.Combine(outDir, LayerPlotFile), "normalised singular entropy per layer and role");
            }
        }
        context.Say($"{measured.Count} matrices in {watch.Elapsed.TotalSeconds.ToString("0.0", inv)} s.");
        return ExitCodes.Ok;
    }

    /// <summary>The matrices of an ONNX model (built-in name, folder or file), a safetensors file or an I-STAR package.</summary>
    private static (string Source, List<Entry> Entries) Open(string model)
    {
        if (model.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) return OpenIStarPackage(model);
        if (model.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(model)) throw new FileNotFoundException($"Safetensors file '{model}' does not exist.", model);
            var tensors = SafeTensors.Read(model);
            return (DisplayPath.Of(model), tensors.Where(t => t.Value.Shape.Length == 2 && t.Value.Shape[0] >= 1 && t.Value.Shape[1] >= 1)
                .OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => new Entry(t.Key, t.Key, checked((int)t.Value.Shape[0]), checked((int)t.Value.Shape[1]), "", () => t.Value.Data))
                .ToList());
        }
        var folder = EncoderFolder.Open(ModelReference.Resolve(model));
        if (!File.Exists(folder.ModelPath))
            throw new FileNotFoundException($"Model '{ModelReference.Display(model)}' has no {Path.GetFileName(folder.ModelPath)}.", folder.ModelPath);
        var weights = OnnxWeightMatrices.Open(folder.ModelPath); // a corrupt file: InvalidDataException naming it, exit code 2
        return (DisplayPath.Of(folder.ModelPath), weights.Matrices
            .Select(m => new Entry(m.ParameterName, m.InitializerName, m.Rows, m.Columns, string.Join(", ", m.Consumers), () => weights.ReadValues(m)))
            .ToList());
    }

    /// <summary>The weight matrices of the I-STAR classifier inside a package written by SavePackaged (or <c>train</c>).</summary>
    private static (string Source, List<Entry> Entries) OpenIStarPackage(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model package '{path}' does not exist.", path);
        var loaded = new MLContext(seed: 0).Model.LoadPackaged(path, out _); // a corrupt package: InvalidDataException, exit code 2
        try
        {
            var istar = FindIStar(loaded)
                ?? throw new CliInputException($"'{DisplayPath.Of(path)}' holds no I-STAR model; spectrum reads the classifier's weight matrices from an I-STAR package.");
            return (DisplayPath.Of(path), istar.Model.GetWeightMatrices()
                .Select(m => new Entry(m.Name, m.Name, m.Rows, m.Columns, "", () => m.Values)).ToList());
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    private static ISingleFeaturePredictionTransformer<IStarModelParameters>? FindIStar(ITransformer transformer) => transformer switch
    {
        ISingleFeaturePredictionTransformer<IStarModelParameters> istar => istar,
        IEnumerable<ITransformer> chain => chain.Select(FindIStar).FirstOrDefault(t => t is not null),
        _ => null,
    };

    private static void Show(IReadOnlyList<(Entry Entry, SingularSpectrum Spectrum)> measured, double tolerance, VerbContext context)
    {
        var table = new Table().AddColumn("matrix").AddColumn(new TableColumn("layer").RightAligned()).AddColumn("role")
            .AddColumn(new TableColumn("shape").RightAligned()).AddColumn(new TableColumn("σ₁").RightAligned())
            .AddColumn(new TableColumn("H/log k").RightAligned()).AddColumn(new TableColumn("erank").RightAligned())
            .AddColumn(new TableColumn("erank/k").RightAligned()).AddColumn(new TableColumn("stable rank").RightAligned())
            .AddColumn(new TableColumn(Markup.Escape($"< {CliOption.Format(tolerance)}·σ₁")).RightAligned());
        foreach (var (e, s) in measured)
            table.AddRow(Markup.Escape(e.Name), LayerText(e.Layer), RoleText(e.Role), $"{e.Rows} × {e.Columns}", F(s.SingularValues[0], "0.00"),
                F(s.NormalizedSingularEntropy, "0.000"), F(s.EffectiveRank, "0.0"), F(s.EffectiveRank / s.SingularValues.Count, "0.0%"),
                F(s.StableRank, "0.0"), F(s.ShareBelowTolerance, "0.0%"));
        context.Console.Ansi.Write(table);
        if (measured.Select(m => m.Entry.Layer).Distinct().Count() < 2) return;
        var byRole = new Table().AddColumn("role").AddColumn(new TableColumn("matrices").RightAligned())
            .AddColumn(new TableColumn("mean H/log k").RightAligned()).AddColumn(new TableColumn("mean erank/k").RightAligned())
            .AddColumn(new TableColumn("mean stable rank").RightAligned());
        foreach (var g in measured.GroupBy(m => m.Entry.Role).OrderBy(g => g.Key))
            byRole.AddRow(RoleText(g.Key), g.Count().ToString(CultureInfo.InvariantCulture), F(g.Average(m => m.Spectrum.NormalizedSingularEntropy), "0.000"),
                F(g.Average(m => m.Spectrum.EffectiveRank / m.Spectrum.SingularValues.Count), "0.0%"), F(g.Average(m => m.Spectrum.StableRank), "0.0"));
        context.Console.Ansi.Write(byRole);
    }

    /// <summary>Short role names for tables and legends.</summary>
    internal static string RoleText(WeightMatrixRole role) => role switch
    {
        WeightMatrixRole.Embedding => "embedding",
        WeightMatrixRole.Query => "Q",
        WeightMatrixRole.Key => "K",
        WeightMatrixRole.Value => "V",
        WeightMatrixRole.AttentionOutput => "attention out",
        WeightMatrixRole.FeedForwardIn => "FFN in",
        WeightMatrixRole.FeedForwardOut => "FFN out",
        WeightMatrixRole.Pooler => "pooler",
        WeightMatrixRole.Head => "head",
        _ => "other",
    };

    private static string LayerText(int? layer) => layer?.ToString(CultureInfo.InvariantCulture) ?? "–";

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
