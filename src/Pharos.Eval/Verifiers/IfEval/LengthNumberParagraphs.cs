// IFEval length_constraints:number_paragraphs — exactly N paragraphs separated by the Markdown divider ***.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class LengthNumberParagraphs(IfEvalMode mode) : IfEvalInstruction(mode)
{
    static readonly Regex Divider = new(@"\s?\*\*\*\s?", RegexOptions.Compiled);

    public override string Id => "length_constraints:number_paragraphs";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        int required = VerifierArgs.Int(Id, args, "num_paragraphs");
        return text =>
        {
            var paragraphs = Divider.Split(text);
            int count = paragraphs.Length;
            for (int i = 0; i < paragraphs.Length; i++)
            {
                if (PyText.Strip(paragraphs[i]).Length > 0) continue;
                // Empty pieces are allowed only before the first or after the last divider.
                if (i == 0 || i == paragraphs.Length - 1) count--;
                else return Fail($"empty paragraph {i + 1} between dividers");
            }
            return Of(count == required, $"{count} paragraphs; required exactly {required}");
        };
    }
}
