// Multilingual phrases that betray chat around a translation: preambles ("Here is the translation:") and trailing notes.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.Translation;

public static class PreamblePatterns
{
    // Matched against the first line. Each alternative is anchored at the start, so a translated sentence that merely
    // contains "translation" is not flagged.
    public static readonly Regex Preamble = new(
        @"^\s*(?:" + string.Join("|",
            @"(?:sure|certainly|of course|okay|ok)\b[^\n]{0,60}(?:translat|here)",
            @"here(?:'s| is| are)\b[^\n]{0,40}translat",
            @"(?:the |my )?translation(?: \w+){0,4}\s*(?:is|:)",
            @"(?:english|german|french|spanish|italian|portuguese|dutch|russian|chinese|japanese|korean)(?: \([^)]*\))?\s*(?:translation)?\s*:",
            @"hier (?:ist|sind) die übersetzung", @"übersetzung\s*:", @"gerne\b",
            @"voici (?:la|une) traduction", @"traduction\s*:", @"bien sûr\b",
            @"aquí (?:está|tienes) la traducción", @"traducción\s*:", @"claro\b",
            @"aqui (?:está|vai) a tradução", @"tradução\s*:",
            @"ecco la traduzione", @"traduzione\s*:", @"certo\b",
            @"hier is de vertaling", @"vertaling\s*:",
            @"вот перевод", @"перевод\s*:", @"конечно\b",
            @"以下是[^\n]{0,10}翻译", @"翻译[：:]", @"译文[：:]", @"好的[，,]",
            @"以下は[^\n]{0,10}翻訳", @"翻訳[：:]", @"訳[：:]",
            @"다음은[^\n]{0,10}번역", @"번역[：:]") + ")",
        RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // Matched against the last paragraph.
    public static readonly Regex Commentary = new(
        @"^\s*[\(\[]?\s*(?:" + string.Join("|",
            @"notes?\s*:", @"note that\b", @"i hope (?:this|that) helps", @"let me know\b", @"feel free\b",
            @"(?:this|the) translation\b", @"j'espère que", @"ich hoffe", @"espero que", @"spero che", @"espero ter", @"ik hoop", @"explanation\s*:", @"translator'?s? note",
            @"anmerkung\s*:", @"hinweis\s*:", @"remarque\s*:", @"nota\s*:", @"notas?\s*:", @"opmerking\s*:",
            @"примечание\s*:", @"注[：:]", @"注意[：:]", @"说明[：:]", @"備考[：:]", @"참고\s*:") + ")",
        RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
