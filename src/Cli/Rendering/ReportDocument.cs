using System.Globalization;
using System.Net;
using System.Text;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Cli.Rendering;

/// <summary>Writes the geometry report as JSON, Markdown and HTML, with the spectrum and rogue-dimension charts.</summary>
internal static class ReportDocument
{
    /// <summary>File names written into the output folder.</summary>
    public const string Json = "report.json", Markdown = "report.md", Html = "report.html",
        SpectrumPng = "spectrum.png", RoguePng = "rogue-dimensions.png";

    /// <summary>The summary table, one row per entry of <see cref="IsotropyReport.Measures"/>: (name, value, meaning).</summary>
    public static IReadOnlyList<(string Name, string Value, string Meaning)> Rows(IsotropyReport r) =>
        [.. IsotropyReport.Measures.Select(m => (m.Name, m.IsCount ? N(m.Read(r)) : F(m.Read(r)), m.Meaning))];

    /// <summary>Writes every artifact into <paramref name="outDir"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(IsotropyReport report, string outDir, string title, string source)
    {
        Directory.CreateDirectory(outDir);
        var json = Path.Combine(outDir, Json);
        report.Save(json);
        var spectrum = Path.Combine(outDir, SpectrumPng);
        Charts.Spectrum(report.Eigenvalues, spectrum, $"Covariance spectrum — {title}");
        var rogue = Path.Combine(outDir, RoguePng);
        Charts.RogueDimensions(report.RogueDimensions.Select(d => (d.Dimension, d.Share)).ToList(), rogue, $"Rogue dimensions — {title}");
        var md = Path.Combine(outDir, Markdown);
        File.WriteAllText(md, ToMarkdown(report, title, source));
        var html = Path.Combine(outDir, Html);
        File.WriteAllText(html, ToHtml(report, title, source));
        return [json, md, html, spectrum, rogue];
    }

    private static string ToMarkdown(IsotropyReport r, string title, string source)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Geometry report — {title}").AppendLine();
        sb.AppendLine($"Source: `{source}`").AppendLine();
        sb.AppendLine("| measure | value | meaning |").AppendLine("|---|---:|---|");
        foreach (var (name, value, meaning) in Rows(r))
            sb.AppendLine($"| {name} | {value} | {meaning} |");
        sb.AppendLine().AppendLine("## Rogue dimensions").AppendLine();
        sb.AppendLine("| dimension | cosine contribution | share |").AppendLine("|---:|---:|---:|");
        foreach (var d in r.RogueDimensions)
            sb.AppendLine($"| {d.Dimension} | {F(d.Contribution)} | {d.Share.ToString("P1", CultureInfo.InvariantCulture)} |");
        sb.AppendLine().AppendLine($"![spectrum]({SpectrumPng})").AppendLine().AppendLine($"![rogue dimensions]({RoguePng})");
        return sb.ToString();
    }

    private static string ToHtml(IsotropyReport r, string title, string source)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>");
        sb.Append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}td,th{padding:2px 10px;border-bottom:1px solid #ddd}td.v{text-align:right}</style></head><body>");
        sb.Append("<h1>Geometry report — ").Append(E(title)).Append("</h1><p>Source: <code>").Append(E(source)).Append("</code></p><table><tr><th>measure</th><th>value</th><th>meaning</th></tr>");
        foreach (var (name, value, meaning) in Rows(r))
            sb.Append("<tr><td>").Append(E(name)).Append("</td><td class=\"v\">").Append(E(value)).Append("</td><td>").Append(E(meaning)).Append("</td></tr>");
        sb.Append("</table><h2>Rogue dimensions</h2><table><tr><th>dimension</th><th>contribution</th><th>share</th></tr>");
        foreach (var d in r.RogueDimensions)
            sb.Append("<tr><td class=\"v\">").Append(d.Dimension).Append("</td><td class=\"v\">").Append(F(d.Contribution))
              .Append("</td><td class=\"v\">").Append(d.Share.ToString("P1", CultureInfo.InvariantCulture)).Append("</td></tr>");
        sb.Append("</table><p><img src=\"").Append(SpectrumPng).Append("\" alt=\"spectrum\"></p><p><img src=\"").Append(RoguePng).Append("\" alt=\"rogue dimensions\"></p></body></html>");
        return sb.ToString();
    }

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string N(double v) => double.IsNaN(v) ? "n/a" : v.ToString("N0", CultureInfo.InvariantCulture);
}
