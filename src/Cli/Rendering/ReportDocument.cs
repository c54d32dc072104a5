using System.Globalization;
using System.Net;
using System.Text;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Cli.Rendering;

/// <summary>
/// Writes the geometry report of one or more sources into a folder: JSON per source (<c>report.json</c>, or
/// <c>report-1.json</c>, <c>report-2.json</c>, … when comparing), <c>report.md</c> and <c>report.html</c> with every
/// measure and its reading, the spectrum and rogue-dimension charts, and — when comparing — one chart per measure.
/// Every file is written atomically; paths inside the documents are relative to the folder.
/// </summary>
internal static class ReportDocument
{
    /// <summary>File names written into the output folder.</summary>
    public const string Json = "report.json", Markdown = "report.md", Html = "report.html",
        SpectrumPng = "spectrum.png", RoguePng = "rogue-dimensions.png";

    /// <summary>Writes every artifact into <paramref name="outDir"/>; returns each path written and what it is.</summary>
    public static IReadOnlyList<(string Path, string What)> Write(IReadOnlyList<MeasuredSource> sources, string outDir, string title)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<(string, string)>();
        var compare = sources.Count > 1;
        for (var i = 0; i < sources.Count; i++)
        {
            var name = compare ? $"report-{i + 1}.json" : Json;
            AtomicFile.WriteAllText(Path.Combine(outDir, name), sources[i].Report.ToJson());
            written.Add((Path.Combine(outDir, name), $"measures of {sources[i].Label} (IsotropyReport JSON)"));
        }

        Charts.Spectrum(sources.Select(s => (s.Label, (IReadOnlyList<double>)s.Report.Eigenvalues)).ToList(),
            Path.Combine(outDir, SpectrumPng), $"Covariance spectrum — {title}");
        written.Add((Path.Combine(outDir, SpectrumPng), "covariance spectrum"));
        if (compare)
            Charts.RogueComparison(sources.Select(s => (s.Label, (IReadOnlyList<double>)s.Report.RogueDimensions.Select(d => d.Share).ToList())).ToList(),
                Path.Combine(outDir, RoguePng), $"Rogue dimensions — {title}");
        else
            Charts.RogueDimensions(sources[0].Report.RogueDimensions.Select(d => (d.Dimension, d.Share)).ToList(),
                Path.Combine(outDir, RoguePng), $"Rogue dimensions — {title}");
        written.Add((Path.Combine(outDir, RoguePng), "rogue dimensions"));

        var measurePlots = new List<(ReportMeasure Measure, string File)>();
        if (compare)
        {
            foreach (var m in ReportMeasures.All.Where(m => m.Compared))
            {
                var file = $"compare-{m.Key}.png";
                Charts.MeasureComparison(m, sources.Select(s => s.Label).ToList(), sources.Select(s => m.PlotValue(s.Report)).ToList(),
                    sources.Select(s => m.Format(s.Report)).ToList(), Path.Combine(outDir, file));
                measurePlots.Add((m, file));
            }
            written.Add((outDir, $"{measurePlots.Count} comparison charts, compare-*.png"));
        }

        AtomicFile.WriteAllText(Path.Combine(outDir, Markdown), ToMarkdown(sources, title, measurePlots));
        written.Add((Path.Combine(outDir, Markdown), "Markdown report"));
        AtomicFile.WriteAllText(Path.Combine(outDir, Html), ToHtml(sources, title, measurePlots));
        written.Add((Path.Combine(outDir, Html), "HTML report"));
        return written;
    }

    private static string ToMarkdown(IReadOnlyList<MeasuredSource> sources, string title, List<(ReportMeasure Measure, string File)> plots)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Geometry report — {title}").AppendLine();
        if (sources.Count == 1)
        {
            var s = sources[0];
            sb.AppendLine($"Source: {s.Description}").AppendLine();
            sb.AppendLine($"**{ReportMeasures.Headline(s.Report)}** ({ReportMeasures.IsoScoreScale}).").AppendLine();
            sb.AppendLine("| measure | value | reading |").AppendLine("|---|---:|---|");
            foreach (var m in ReportMeasures.All)
                sb.AppendLine($"| {m.Name} | {m.Format(s.Report)} | {m.Read(s.Report)} |");
        }
        else
        {
            sb.AppendLine("| # | source | what |").AppendLine("|---:|---|---|");
            for (var i = 0; i < sources.Count; i++) sb.AppendLine($"| {i + 1} | {sources[i].Label} | {sources[i].Description} |");
            sb.AppendLine().AppendLine($"| measure | {string.Join(" | ", sources.Select(s => s.Label))} |")
              .AppendLine($"|---|{string.Concat(sources.Select(_ => "---:|"))}");
            foreach (var m in ReportMeasures.All)
                sb.AppendLine($"| {m.Name} | {string.Join(" | ", sources.Select(s => m.Format(s.Report)))} |");
            sb.AppendLine().AppendLine("## Readings").AppendLine();
            foreach (var s in sources)
            {
                sb.AppendLine($"### {s.Label}").AppendLine();
                foreach (var m in ReportMeasures.All.Where(m => m.Reading is not null))
                    sb.AppendLine($"- {m.Name} {m.Format(s.Report)}: {m.Read(s.Report)}");
                sb.AppendLine();
            }
        }
        sb.AppendLine().AppendLine("## Rogue dimensions").AppendLine();
        foreach (var s in sources)
        {
            if (sources.Count > 1) sb.AppendLine($"{s.Label}:").AppendLine();
            sb.AppendLine("| dimension | cosine contribution | share |").AppendLine("|---:|---:|---:|");
            foreach (var d in s.Report.RogueDimensions)
                sb.AppendLine($"| {d.Dimension} | {ReportMeasure.Format(d.Contribution, MeasureUnit.Cosine)} | {ReportMeasure.Format(d.Share, MeasureUnit.Share)} |");
            sb.AppendLine();
        }
        sb.AppendLine($"![covariance spectrum]({SpectrumPng})").AppendLine().AppendLine($"![rogue dimensions]({RoguePng})").AppendLine();
        foreach (var (m, file) in plots) sb.AppendLine($"![{m.Name}]({file})").AppendLine();
        sb.AppendLine("## What the measures are").AppendLine();
        foreach (var m in ReportMeasures.All) sb.AppendLine($"- **{m.Name}**: {m.Meaning}.");
        sb.AppendLine($"- Eigenvalues below {Charts.NumericalZero.ToString("0.0e0", CultureInfo.InvariantCulture)}·λ₁ are numerically zero for float32 data; the spectrum plot marks them on its floor line.");
        return sb.ToString();
    }

    private static string ToHtml(IReadOnlyList<MeasuredSource> sources, string title, List<(ReportMeasure Measure, string File)> plots)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
          .Append("body{font-family:system-ui,'DejaVu Sans',Arial,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222}")
          .Append("table{border-collapse:collapse;margin:1em 0}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}")
          .Append("td.v,th.v{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.verdict{font-size:1.15em;background:#f4f6fa;padding:.6em 1em;border-left:4px solid #4a72b0}")
          .Append("img{max-width:100%}.grid{display:flex;flex-wrap:wrap;gap:8px}.grid img{width:500px}dt{font-weight:600}</style></head><body>");
        sb.Append("<h1>Geometry report — ").Append(E(title)).Append("</h1>");
        if (sources.Count == 1)
        {
            var s = sources[0];
            sb.Append("<p>Source: ").Append(E(s.Description)).Append("</p>");
            sb.Append("<p class=\"verdict\">").Append(E(ReportMeasures.Headline(s.Report))).Append(" <small>(").Append(E(ReportMeasures.IsoScoreScale)).Append(")</small></p>");
            sb.Append("<table><tr><th>measure</th><th class=\"v\">value</th><th>reading</th></tr>");
            foreach (var m in ReportMeasures.All)
                sb.Append("<tr><td title=\"").Append(E(m.Meaning)).Append("\">").Append(E(m.Name)).Append("</td><td class=\"v\">")
                  .Append(E(m.Format(s.Report))).Append("</td><td>").Append(E(m.Read(s.Report))).Append("</td></tr>");
            sb.Append("</table>");
        }
        else
        {
            sb.Append("<table><tr><th class=\"v\">#</th><th>source</th><th>what</th></tr>");
            for (var i = 0; i < sources.Count; i++)
                sb.Append("<tr><td class=\"v\">").Append(i + 1).Append("</td><td>").Append(E(sources[i].Label)).Append("</td><td>").Append(E(sources[i].Description)).Append("</td></tr>");
            sb.Append("</table><ul>");
            foreach (var s in sources) sb.Append("<li><b>").Append(E(s.Label)).Append("</b>: ").Append(E(ReportMeasures.Headline(s.Report))).Append("</li>");
            sb.Append("</ul><p><small>").Append(E(ReportMeasures.IsoScoreScale)).Append("</small></p>");
            sb.Append("<table><tr><th>measure</th>");
            foreach (var s in sources) sb.Append("<th class=\"v\">").Append(E(s.Label)).Append("</th>");
            sb.Append("</tr>");
            foreach (var m in ReportMeasures.All)
            {
                sb.Append("<tr><td title=\"").Append(E(m.Meaning)).Append("\">").Append(E(m.Name)).Append("</td>");
                foreach (var s in sources)
                    sb.Append("<td class=\"v\" title=\"").Append(E(m.Read(s.Report))).Append("\">").Append(E(m.Format(s.Report))).Append("</td>");
                sb.Append("</tr>");
            }
            sb.Append("</table><h2>Readings</h2>");
            foreach (var s in sources)
            {
                sb.Append("<h3>").Append(E(s.Label)).Append("</h3><ul>");
                foreach (var m in ReportMeasures.All.Where(m => m.Reading is not null))
                    sb.Append("<li>").Append(E(m.Name)).Append(' ').Append(E(m.Format(s.Report))).Append(": ").Append(E(m.Read(s.Report))).Append("</li>");
                sb.Append("</ul>");
            }
        }
        sb.Append("<h2>Spectrum and rogue dimensions</h2><p><img src=\"").Append(SpectrumPng).Append("\" alt=\"covariance spectrum\"></p><p><img src=\"")
          .Append(RoguePng).Append("\" alt=\"rogue dimensions\"></p>");
        foreach (var s in sources)
        {
            if (sources.Count > 1) sb.Append("<p>").Append(E(s.Label)).Append(":</p>");
            sb.Append("<table><tr><th class=\"v\">dimension</th><th class=\"v\">cosine contribution</th><th class=\"v\">share</th></tr>");
            foreach (var d in s.Report.RogueDimensions)
                sb.Append("<tr><td class=\"v\">").Append(d.Dimension.ToString(CultureInfo.InvariantCulture)).Append("</td><td class=\"v\">")
                  .Append(ReportMeasure.Format(d.Contribution, MeasureUnit.Cosine)).Append("</td><td class=\"v\">")
                  .Append(E(ReportMeasure.Format(d.Share, MeasureUnit.Share))).Append("</td></tr>");
            sb.Append("</table>");
        }
        if (plots.Count > 0)
        {
            sb.Append("<h2>Measures side by side</h2><div class=\"grid\">");
            foreach (var (m, file) in plots) sb.Append("<img src=\"").Append(file).Append("\" alt=\"").Append(E(m.Name)).Append("\">");
            sb.Append("</div>");
        }
        sb.Append("<h2>What the measures are</h2><dl>");
        foreach (var m in ReportMeasures.All) sb.Append("<dt>").Append(E(m.Name)).Append("</dt><dd>").Append(E(m.Meaning)).Append("</dd>");
        sb.Append("</dl><p><small>Eigenvalues below ").Append(Charts.NumericalZero.ToString("0.0e0", CultureInfo.InvariantCulture))
          .Append("·λ₁ are numerically zero for float32 data; the spectrum plot marks them on its floor line.</small></p></body></html>");
        return sb.ToString();
    }
}
