// The dominant writing system of a text (ISO 15924 code), for models such as lid.176 whose labels carry no script.
namespace Pharos.Curation.LanguageId;

public static class ScriptDetector
{
    static readonly (int From, int To, string Script)[] Ranges =
    [
        (0x0041, 0x024F, "Latn"), (0x1E00, 0x1EFF, "Latn"), (0x0370, 0x03FF, "Grek"), (0x1F00, 0x1FFF, "Grek"),
        (0x0400, 0x052F, "Cyrl"), (0x0530, 0x058F, "Armn"), (0x0590, 0x05FF, "Hebr"), (0x0600, 0x06FF, "Arab"),
        (0x0750, 0x077F, "Arab"), (0x0900, 0x097F, "Deva"), (0x0980, 0x09FF, "Beng"), (0x0A00, 0x0A7F, "Guru"),
        (0x0A80, 0x0AFF, "Gujr"), (0x0B00, 0x0B7F, "Orya"), (0x0B80, 0x0BFF, "Taml"), (0x0C00, 0x0C7F, "Telu"),
        (0x0C80, 0x0CFF, "Knda"), (0x0D00, 0x0D7F, "Mlym"), (0x0D80, 0x0DFF, "Sinh"), (0x0E00, 0x0E7F, "Thai"),
        (0x0E80, 0x0EFF, "Laoo"), (0x0F00, 0x0FFF, "Tibt"), (0x1000, 0x109F, "Mymr"), (0x10A0, 0x10FF, "Geor"),
        (0x1100, 0x11FF, "Hang"), (0xAC00, 0xD7AF, "Hang"), (0x1200, 0x139F, "Ethi"), (0x1780, 0x17FF, "Khmr"),
        (0x3040, 0x309F, "Jpan"), (0x30A0, 0x30FF, "Jpan"), (0x4E00, 0x9FFF, "Hani"), (0x3400, 0x4DBF, "Hani"),
    ];

    public static string Dominant(string text)
    {
        var counts = new Dictionary<string, int>();
        var sampled = 0;
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
                continue;
            foreach (var (from, to, script) in Ranges)
                if (c >= from && c <= to)
                {
                    counts[script] = counts.GetValueOrDefault(script) + 1;
                    break;
                }
            if (++sampled >= 2000)
                break;
        }
        if (counts.Count == 0)
            return "Zyyy";
        // Kana anywhere makes Han text Japanese ("Jpan"), as ISO 15924 writes Japanese.
        if (counts.ContainsKey("Jpan"))
            return "Jpan";
        return counts.MaxBy(p => p.Value).Key;
    }
}
