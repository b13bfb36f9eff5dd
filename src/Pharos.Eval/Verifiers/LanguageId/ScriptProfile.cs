// Counts letters per Unicode script: which script dominates a text, and which scripts a language may be written in.
using System.Text;
namespace Pharos.Eval.Verifiers.LanguageId;

public static class ScriptProfile
{
    /// <summary>Script of one letter, by Unicode block (letters only; digits and punctuation are ignored by callers).</summary>
    public static UnicodeScript Of(int cp) => cp switch
    {
        < 0x0250 => UnicodeScript.Latin,
        >= 0x1E00 and < 0x1F00 => UnicodeScript.Latin,
        >= 0x0370 and < 0x0400 => UnicodeScript.Greek,
        >= 0x1F00 and < 0x2000 => UnicodeScript.Greek,
        >= 0x0400 and < 0x0530 => UnicodeScript.Cyrillic,
        >= 0x0590 and < 0x0600 => UnicodeScript.Hebrew,
        >= 0x0600 and < 0x0780 or >= 0xFB50 and < 0xFE00 or >= 0xFE70 and < 0xFF00 => UnicodeScript.Arabic,
        >= 0x0900 and < 0x0980 => UnicodeScript.Devanagari,
        >= 0x0980 and < 0x0A00 => UnicodeScript.Bengali,
        >= 0x0A00 and < 0x0A80 => UnicodeScript.Gurmukhi,
        >= 0x0A80 and < 0x0B00 => UnicodeScript.Gujarati,
        >= 0x0B80 and < 0x0C00 => UnicodeScript.Tamil,
        >= 0x0C00 and < 0x0C80 => UnicodeScript.Telugu,
        >= 0x0C80 and < 0x0D00 => UnicodeScript.Kannada,
        >= 0x0D00 and < 0x0D80 => UnicodeScript.Malayalam,
        >= 0x0E00 and < 0x0E80 => UnicodeScript.Thai,
        >= 0x1100 and < 0x1200 or >= 0x3130 and < 0x3190 or >= 0xAC00 and < 0xD7B0 => UnicodeScript.Hangul,
        >= 0x3040 and < 0x3100 or >= 0x31F0 and < 0x3200 or >= 0xFF66 and < 0xFFA0 => UnicodeScript.Kana,
        >= 0x3400 and < 0xA000 or >= 0xF900 and < 0xFB00 or >= 0x20000 and < 0x32000 => UnicodeScript.Han,
        _ => UnicodeScript.Other,
    };

    /// <summary>Letter counts per script.</summary>
    public static Dictionary<UnicodeScript, int> Count(string text)
    {
        var counts = new Dictionary<UnicodeScript, int>();
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune)) continue;
            var script = Of(rune.Value);
            counts[script] = counts.GetValueOrDefault(script) + 1;
        }
        return counts;
    }

    /// <summary>The script with most letters, or null for a text without letters.</summary>
    public static UnicodeScript? Dominant(string text)
    {
        var counts = Count(text);
        if (counts.Count == 0) return null;
        // Japanese mixes kana and kanji: any real share of kana makes it Japanese, whatever kanji dominate.
        if (counts.GetValueOrDefault(UnicodeScript.Kana) * 10 >= counts.Values.Sum()) return UnicodeScript.Kana;
        return counts.MaxBy(kv => kv.Value).Key;
    }

    /// <summary>Fraction of the text's letters written in <paramref name="script"/>.</summary>
    public static double Share(string text, UnicodeScript script)
    {
        var counts = Count(text);
        int total = counts.Values.Sum();
        return total == 0 ? 0 : (double)counts.GetValueOrDefault(script) / total;
    }
}
