// IFEval length_constraints:nth_paragraph_first_word — N paragraphs split by blank lines; paragraph k starts with a word.
using System.Text;
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class LengthNthParagraphFirstWord(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "length_constraints:nth_paragraph_first_word";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        int required = VerifierArgs.Int(Id, args, "num_paragraphs");
        int nth = VerifierArgs.Int(Id, args, "nth_paragraph");
        if (nth < 1) throw new VerifierArgumentException(Id, "nth_paragraph", "must be ≥ 1");
        var firstWord = VerifierArgs.String(Id, args, "first_word").ToLowerInvariant();
        return text =>
        {
            var paragraphs = text.Split("\n\n");
            int count = paragraphs.Count(p => PyText.Strip(p).Length > 0);
            // Google indexes the raw split (blank pieces included) but compares against the non-blank count.
            if (nth > count) return Fail($"{count} paragraphs, no paragraph {nth}");
            var paragraph = PyText.Strip(paragraphs[nth - 1]);
            if (paragraph.Length == 0) return Fail($"paragraph {nth} is empty");
            var word = PyText.SplitWhitespace(paragraph)[0].TrimStart('\'').TrimStart('"');
            var first = new StringBuilder();
            foreach (var c in word)
            {
                if (c is '.' or ',' or '?' or '!' or '\'' or '"') break;
                first.Append(char.ToLowerInvariant(c));
            }
            bool ok = count == required && first.ToString() == firstWord;
            return Of(ok, $"{count} paragraphs (required {required}); paragraph {nth} starts with '{first}' (required '{firstWord}')");
        };
    }
}
