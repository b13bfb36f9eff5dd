// One verifiable instruction of an item (an id plus its arguments), bound to strict and loose verifiers and checked up front.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.IfEval;

namespace Pharos.Eval.Benchmarks;

public sealed class InstructionSpec
{
    readonly IVerifier strict, loose;

    /// <summary>
    /// Creates the verifiers and validates the arguments at once (by checking an empty response), so a typo in
    /// item 57 stops the run before any model time is spent; the error names <paramref name="line"/> and the item.
    /// </summary>
    public InstructionSpec(JsonlLine line, string item, string id, JsonObject args, string prompt)
    {
        Id = id;
        Args = args;
        try
        {
            strict = VerifierRegistry.Create(id, IfEvalMode.Strict, item: item);
            loose = IsIfEval(id) ? VerifierRegistry.Create(id, IfEvalMode.Loose, item: item) : strict;
            strict.Check(prompt, "", args);
        }
        catch (UnknownVerifierException) { throw line.Error($"{item}: unknown instruction id '{id}'"); }
        catch (VerifierArgumentException e) { throw line.Error($"{item}: instruction '{id}': argument '{e.Argument}' {e.Problem}"); }
    }

    public string Id { get; }
    public JsonObject Args { get; }

    public InstructionVerdict Check(string prompt, string response)
    {
        var s = strict.Check(prompt, response, Args);
        var l = ReferenceEquals(loose, strict) ? s : loose.Check(prompt, response, Args);
        return new InstructionVerdict(Id, s.Passed, l.Passed, s.Score, s.Passed || !l.Passed ? s.Explanation : $"{s.Explanation}; loose: {l.Explanation}");
    }

    static bool IsIfEval(string id) => IfEvalRegistry.Ids.Contains(id);
}
