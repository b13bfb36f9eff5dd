// Finds the final answer in a math response: \boxed{}, GSM8K's "#### 42", "The answer is …", else the last number.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.MathAnswers;

public static class MathAnswerExtractor
{
    static readonly Regex Gsm8k = new(@"####\s*(?<a>[^\n]+)", RegexOptions.Compiled);
    static readonly Regex AnswerIs = new(
        @"(?:the\s+)?(?:final\s+)?answer\s*(?:is|:)\s*[:=]?\s*(?<a>[^\n]+)", RegexOptions.Compiled | RegexOptions.IgnoreCase);
    static readonly Regex Number = new(@"(?:-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?(?:/\d+)?|-?\.\d+)(?:\s?%)?", RegexOptions.Compiled);

    /// <summary>The extracted answer and how it was found ("boxed", "####", "answer is", "last number"), or null.</summary>
    public static (string Answer, string How)? Extract(string response)
    {
        // The last box wins: models often box intermediate results before the final one.
        var boxed = LastBoxed(response);
        if (boxed is not null) return (boxed, @"\boxed{}");
        var gsm = Gsm8k.Matches(response);
        if (gsm.Count > 0) return (gsm[^1].Groups["a"].Value.Trim(), "####");
        var said = AnswerIs.Matches(response);
        if (said.Count > 0)
        {
            var tail = said[^1].Groups["a"].Value.Trim();
            // "The answer is 42 apples." → prefer the number inside the phrase when there is one.
            var inner = Number.Match(tail);
            return (inner.Success && !tail.Contains(@"\frac") ? inner.Value : tail.TrimEnd('.'), "answer is");
        }
        var numbers = Number.Matches(response);
        return numbers.Count > 0 ? (numbers[^1].Value, "last number") : null;
    }

    static string? LastBoxed(string text)
    {
        int at = Math.Max(text.LastIndexOf(@"\boxed{", StringComparison.Ordinal), text.LastIndexOf(@"\fbox{", StringComparison.Ordinal));
        if (at < 0) return null;
        int open = text.IndexOf('{', at);
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text[(open + 1)..i].Trim();
        }
        return null; // unbalanced: no usable box
    }
}
