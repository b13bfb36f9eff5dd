// Target-language check by writing system: the share of the completion's letters in the script of the record's
// target_lang (Latin, Cyrillic, Greek, Han, Hangul, Kana…). Cheap and robust on short outputs where LID is not.
using System.Globalization;
using System.Text;

namespace Pharos.Training.Rewards;

public sealed class ScriptReward(string column = "target_lang") : IRewardFunction
{
    public string Name => "target_script";

    public double? Score(RewardInput input)
    {
        if (input.Column(column) is not { Length: > 0 } lang) return null;
        var script = ScriptOf(lang);
        if (script is null) return null;
        int letters = 0, matching = 0;
        foreach (var rune in input.Completion.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune)) continue;
            letters++;
            if (script(rune.Value)) matching++;
        }
        return letters == 0 ? 0 : matching / (double)letters;
    }

    static Func<int, bool>? ScriptOf(string lang)
    {
        string code = lang.ToLowerInvariant();
        string primary = code.Split('-', '_')[0];
        return primary switch
        {
            "ru" or "uk" or "bg" or "sr" or "be" or "mk" => c => c is >= 0x0400 and <= 0x052F,
            "el" => c => c is >= 0x0370 and <= 0x03FF,
            "zh" => c => c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF,
            "ja" => c => c is >= 0x3040 and <= 0x30FF or >= 0x4E00 and <= 0x9FFF,
            "ko" => c => c is >= 0xAC00 and <= 0xD7AF or >= 0x1100 and <= 0x11FF,
            "ar" or "fa" => c => c is >= 0x0600 and <= 0x06FF,
            "he" => c => c is >= 0x0590 and <= 0x05FF,
            "hi" => c => c is >= 0x0900 and <= 0x097F,
            _ when CultureExists(primary) => c => c < 0x0250 || c is >= 0x1E00 and <= 0x1EFF, // Latin
            _ => null,
        };
    }

    static bool CultureExists(string code)
    {
        try { return CultureInfo.GetCultureInfo(code) is not null; }
        catch (CultureNotFoundException) { return false; }
    }
}
