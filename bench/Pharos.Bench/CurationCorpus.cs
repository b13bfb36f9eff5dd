// Assembles the curation benchmark corpus: Debian's translated man pages (12+ languages) split into sections, as JSONL documents.
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pharos.Bench;

internal static partial class CurationCorpus
{
    public const string Packages = "manpages manpages-de manpages-fr manpages-es manpages-it manpages-pl manpages-ru manpages-ja manpages-zh manpages-pt-br manpages-nl manpages-cs manpages-uk";

    [GeneratedRegex(@"\\f(\[[^\]]*\]|\(..|.)|\\\*(\[[^\]]*\]|\(..|.)|\\\(..|\\\[[^\]]*\]|\\[&e\-|^ 0/c%]|\\s[-+]?\d")]
    private static partial Regex Escapes();

    /// <summary>Documents (text, source page) from every man page found, sections of ≥ 200 characters, at most <paramref name="max"/>.</summary>
    public static List<string> Build(int max)
    {
        if (!Directory.Exists("/usr/share/man/de"))
            throw new InvalidOperationException($"translated man pages missing: apt-get install -y {Packages}");
        var docs = new List<string>();
        // Round-robin over languages (the folder under /usr/share/man; man1..man8 are English) so a capped corpus holds all of them.
        var byLanguage = Directory.EnumerateFiles("/usr/share/man", "*.gz", SearchOption.AllDirectories)
            .GroupBy(p => p.Split('/')[4] is var d && d.StartsWith("man", StringComparison.Ordinal) ? "en" : d)
            .Select(g => g.Order(StringComparer.Ordinal).ToList()).OrderBy(g => g[0], StringComparer.Ordinal).ToList();
        var pages = Enumerable.Range(0, byLanguage.Max(g => g.Count)).SelectMany(i => byLanguage.Where(g => i < g.Count).Select(g => g[i]));
        foreach (var page in pages)
        {
            string troff;
            try
            {
                using var gz = new GZipStream(File.OpenRead(page), CompressionMode.Decompress);
                troff = new StreamReader(gz, Encoding.UTF8).ReadToEnd();
            }
            catch (InvalidDataException) { continue; }
            foreach (var section in ToSections(troff))
                if (section.Length >= 200 && docs.Count < max)
                    docs.Add(section);
            if (docs.Count >= max)
                break;
        }
        return docs;
    }

    static IEnumerable<string> ToSections(string troff)
    {
        var current = new StringBuilder();
        foreach (var raw in troff.Split('\n'))
        {
            if (raw.StartsWith(".SH", StringComparison.Ordinal) || raw.StartsWith(".SS", StringComparison.Ordinal))
            {
                if (current.Length > 0) yield return current.ToString().Trim();
                current.Clear();
                current.Append(Escapes().Replace(raw[3..].Trim().Trim('"'), "")).Append('\n');
                continue;
            }
            if (raw.StartsWith('.') || raw.StartsWith('\''))
            {
                if (raw.StartsWith(".PP", StringComparison.Ordinal) || raw.StartsWith(".P", StringComparison.Ordinal) || raw.StartsWith(".TP", StringComparison.Ordinal))
                    current.Append('\n');
                continue;
            }
            var line = Escapes().Replace(raw, "").Replace("\\", "");
            if (line.Length > 0)
                current.Append(line).Append(current.Length > 0 && line.EndsWith('.') ? "\n" : " ");
        }
        if (current.Length > 0) yield return current.ToString().Trim();
    }

    public static void WriteJsonl(string path, List<string> docs)
    {
        using var w = new StreamWriter(path);
        foreach (var d in docs)
            w.WriteLine(JsonSerializer.Serialize(new { text = d }));
    }
}
