// The judge prompts (written for Pharos): pairwise comparison for the arena suite, instruction adherence for IF-MT.
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Judging;

public static class JudgePrompts
{
    public const string PairwiseSystem =
        "You are an impartial judge. You compare two AI assistants' answers to the same user request.\n" +
        "Judge which answer serves the user better: it is correct, answers what was asked, is complete without padding, " +
        "follows the request's constraints, and is written in the language the user wrote in (unless the user asked for another).\n" +
        "Do not let the order of the answers, their length or the assistants' names influence you. " +
        "First give a short justification, then end with exactly one verdict label on its own line:\n" +
        "[[A>>B]] if A is much better, [[A>B]] if A is better, [[A=B]] if they are about equally good, " +
        "[[B>A]] if B is better, [[B>>A]] if B is much better.";

    public static IReadOnlyList<ChatMessage> Pairwise(string request, string answerA, string answerB) =>
    [
        new ChatMessage("system", PairwiseSystem),
        new ChatMessage("user",
            $"[User request]\n{request}\n[End of user request]\n\n" +
            $"[Answer A]\n{answerA}\n[End of answer A]\n\n" +
            $"[Answer B]\n{answerB}\n[End of answer B]"),
    ];

    public const string AdherenceSystem =
        "You check whether a response follows the instructions of a translation request. " +
        "The request may ask for terminology, formats, markup or placeholders to keep, style, length or what else to write. " +
        "Ignore translation quality as such; look only at whether every instruction is followed. " +
        "Give a short justification, then end with exactly one label on its own line: [[YES]] if every instruction is followed, [[NO]] otherwise.";

    public static IReadOnlyList<ChatMessage> Adherence(string request, string response) =>
    [
        new ChatMessage("system", AdherenceSystem),
        new ChatMessage("user", $"[Request]\n{request}\n[End of request]\n\n[Response]\n{response}\n[End of response]"),
    ];

    /// <summary>The last [[YES]] / [[NO]] label, or null.</summary>
    public static bool? ParseAdherence(string? text)
    {
        if (text is null) return null;
        int yes = text.LastIndexOf("[[YES]]", StringComparison.OrdinalIgnoreCase);
        int no = text.LastIndexOf("[[NO]]", StringComparison.OrdinalIgnoreCase);
        return yes < 0 && no < 0 ? null : yes > no;
    }
}
