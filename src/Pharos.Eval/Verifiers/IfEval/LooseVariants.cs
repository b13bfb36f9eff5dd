// The response variants IFEval's loose mode tries, in Google's order (evaluation_lib.test_instruction_following_loose).
namespace Pharos.Eval.Verifiers.IfEval;

public static class LooseVariants
{
    /// <summary>Response; without '*'; without first line; without last line; without both; and those three without '*'.</summary>
    public static IReadOnlyList<(string Name, string Text)> Of(string response)
    {
        // Python's str.split("\n") keeps empty pieces; "\n".join(...).strip() then trims them.
        var lines = response.Split('\n');
        var removeFirst = PyText.Strip(string.Join('\n', lines.Skip(1)));
        var removeLast = PyText.Strip(string.Join('\n', lines.Take(lines.Length - 1)));
        var removeBoth = PyText.Strip(string.Join('\n', lines.Skip(1).Take(Math.Max(0, lines.Length - 2))));
        return
        [
            ("as is", response),
            ("without '*'", response.Replace("*", "")),
            ("without first line", removeFirst),
            ("without last line", removeLast),
            ("without first and last lines", removeBoth),
            ("without first line and '*'", removeFirst.Replace("*", "")),
            ("without last line and '*'", removeLast.Replace("*", "")),
            ("without first and last lines and '*'", removeBoth.Replace("*", "")),
        ];
    }
}
