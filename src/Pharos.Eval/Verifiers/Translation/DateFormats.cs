// Reads dates in a source text (ISO, US numeric, English month names) and lists how a target language writes a date.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.Translation;

public static class DateFormats
{
    static readonly string[] English = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    static readonly string MonthNames = string.Join("|", English.Select(m => m[..1].ToUpperInvariant() + m[1..]));
    static readonly Regex Date = new(
        $@"\b(?<y>\d{{4}})-(?<m>\d{{1,2}})-(?<d>\d{{1,2}})\b|\b(?<m>\d{{1,2}})/(?<d>\d{{1,2}})/(?<y>\d{{4}})\b|\b(?<mn>{MonthNames}) (?<d>\d{{1,2}})(?:st|nd|rd|th)?, (?<y>\d{{4}})\b|\b(?<d>\d{{1,2}}) (?<mn>{MonthNames}) (?<y>\d{{4}})\b",
        RegexOptions.Compiled);

    // Month names per language (lowercase, January first) and the long and numeric patterns it uses.
    static readonly Dictionary<string, (string[] Months, string[] Patterns)> Targets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = (English, ["{MN} {d}, {y}", "{d} {MN} {y}", "{y}-{MM}-{DD}"]),
        ["de"] = (["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
                  ["{d}. {MN} {y}", "{DD}.{MM}.{y}", "{d}.{m}.{y}"]),
        ["fr"] = (["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
                  ["{d} {mn} {y}", "{DD}/{MM}/{y}"]),
        ["es"] = (["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
                  ["{d} de {mn} de {y}", "{DD}/{MM}/{y}", "{d}/{m}/{y}"]),
        ["it"] = (["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
                  ["{d} {mn} {y}", "{DD}/{MM}/{y}"]),
        ["pt"] = (["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
                  ["{d} de {mn} de {y}", "{DD}/{MM}/{y}"]),
        ["nl"] = (["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
                  ["{d} {mn} {y}", "{DD}-{MM}-{y}", "{d}-{m}-{y}"]),
        ["ru"] = (["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
                  ["{d} {mn} {y}", "{d} {mn} {y} г.", "{DD}.{MM}.{y}"]),
        ["ja"] = (English, ["{y}年{m}月{d}日", "{y}/{MM}/{DD}"]),
        ["zh"] = (English, ["{y}年{m}月{d}日", "{y}-{MM}-{DD}"]),
        ["ko"] = (English, ["{y}년 {m}월 {d}일", "{y}. {m}. {d}."]),
    };

    /// <summary>Dates found in an English-language source: surface and (year, month, day).</summary>
    public static List<(string Surface, int Year, int Month, int Day)> Find(string text) =>
        Date.Matches(text).Select(m => (m.Value, int.Parse(m.Groups["y"].Value),
            m.Groups["mn"].Success ? Array.IndexOf(English, m.Groups["mn"].Value.ToLowerInvariant()) + 1 : int.Parse(m.Groups["m"].Value),
            int.Parse(m.Groups["d"].Value))).Where(d => d.Item3 is >= 1 and <= 12 && d.Item4 is >= 1 and <= 31).ToList();

    /// <summary>The text with its dates blanked, so their digits are not also read as numbers.</summary>
    public static string Mask(string text) => Date.Replace(text, m => new string(' ', m.Length));

    public static bool Supports(string language) => Targets.ContainsKey(Base(language));

    /// <summary>Every accepted way to write the date in <paramref name="language"/>.</summary>
    public static IEnumerable<string> Render(int year, int month, int day, string language)
    {
        var (months, patterns) = Targets[Base(language)];
        var name = months[month - 1];
        foreach (var p in patterns)
            yield return p.Replace("{y}", year.ToString()).Replace("{MM}", month.ToString("00")).Replace("{DD}", day.ToString("00"))
                .Replace("{m}", month.ToString()).Replace("{d}", day.ToString())
                .Replace("{MN}", name[..1].ToUpperInvariant() + name[1..]).Replace("{mn}", name);
    }

    static string Base(string language) => language.Split('-', '_')[0];
}
