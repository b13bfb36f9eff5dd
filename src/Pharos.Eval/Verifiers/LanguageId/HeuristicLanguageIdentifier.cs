// Default language identifier without a model: dominant Unicode script, then distinctive letters and stopwords.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.LanguageId;

/// <summary>
/// Good enough for "is this response in language X" on whole answers; not a LID model. Scripts used by a single
/// language decide at once; shared scripts (Latin, Cyrillic, Arabic, Devanagari) fall back to letters and stopwords.
/// </summary>
public sealed class HeuristicLanguageIdentifier : ILanguageIdentifier
{
    public static HeuristicLanguageIdentifier Instance { get; } = new();

    static readonly Regex Words = new(@"[\p{L}\p{M}']+", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // Frequent function words per language; each hit is one vote.
    static readonly Dictionary<string, HashSet<string>> Stopwords = new()
    {
        ["en"] = Set("the and of to in is that it for was with as on are be this by not you have"),
        ["de"] = Set("der die und das ist nicht ein eine zu den mit sich von auf für ich sie es dem auch"),
        ["fr"] = Set("le la les et des est une un du pour que pas dans qui sur au en ce il avec sont"),
        ["es"] = Set("el la los las y de que es en un una por con para no se del al lo como más"),
        ["pt"] = Set("o a os as e de que é em um uma para com não do da dos das se por mais você"),
        ["it"] = Set("il la di che è e un una per non con del della sono gli le si anche ma come"),
        ["nl"] = Set("de het een en van is dat niet op te met voor zijn ik je ook maar aan"),
        ["pl"] = Set("i w na nie się z jest do to że co jak ale o od po tak za"),
        ["fi"] = Set("ja on ei se että hän oli ovat mutta kun tai myös sen kuin joka ole"),
        ["sw"] = Set("na ya wa kwa ni katika za la kuwa hii cha yake au lakini pia sana"),
        ["vi"] = Set("và của là có không những được trong một cho các người với này đã"),
        ["sv"] = Set("och att det som en på är av för med till den inte har jag"),
        ["ru"] = Set("и в не на что я с он как это по но из все она так его"),
        ["uk"] = Set("і в не на що я з він як це та але від все вона так його є"),
        ["bg"] = Set("и в не на да се е за от че това с по са като той"),
        ["ar"] = Set("في من على أن إلى هذا التي الذي عن مع هو ما كان"),
        ["fa"] = Set("و در به از که این را با است برای یک می آن"),
        ["ur"] = Set("کے میں اور کی ہے کو سے یہ کہ ہیں پر نہیں"),
        ["hi"] = Set("है के में की और को से का यह हैं भी नहीं"),
        ["mr"] = Set("आहे आणि या च्या हे की ते मध्ये आहेत व"),
        ["ne"] = Set("छ र को मा हो यो गर्न पनि छन् थियो"),
    };

    static HashSet<string> Set(string words) => new(words.Split(' '), StringComparer.Ordinal);

    public string? Identify(string text)
    {
        var script = ScriptProfile.Dominant(text);
        switch (script)
        {
            case null: return null;
            case UnicodeScript.Hangul: return "ko";
            case UnicodeScript.Kana: return "ja";
            case UnicodeScript.Han: return ScriptProfile.Share(text, UnicodeScript.Kana) > 0.02 ? "ja" : "zh";
            case UnicodeScript.Thai: return "th";
            case UnicodeScript.Hebrew: return "he";
            case UnicodeScript.Greek: return "el";
            case UnicodeScript.Bengali: return "bn";
            case UnicodeScript.Tamil: return "ta";
            case UnicodeScript.Telugu: return "te";
            case UnicodeScript.Kannada: return "kn";
            case UnicodeScript.Gujarati: return "gu";
            case UnicodeScript.Gurmukhi: return "pa";
            case UnicodeScript.Malayalam: return "ml";
            case UnicodeScript.Latin: return Vote(text, "en", "de", "fr", "es", "pt", "it", "nl", "pl", "fi", "sw", "vi", "sv");
            case UnicodeScript.Cyrillic: return Vote(text, "ru", "uk", "bg");
            case UnicodeScript.Arabic: return Vote(text, "ar", "fa", "ur");
            case UnicodeScript.Devanagari: return Vote(text, "hi", "mr", "ne");
            default: return null;
        }
    }

    static string Vote(string text, params string[] candidates)
    {
        var counts = new int[candidates.Length];
        foreach (Match m in Words.Matches(text.ToLowerInvariant()))
            for (int i = 0; i < candidates.Length; i++)
                if (Stopwords[candidates[i]].Contains(m.Value)) counts[i]++;
        int best = 0;
        for (int i = 1; i < counts.Length; i++) if (counts[i] > counts[best]) best = i;
        return candidates[best];
    }
}
