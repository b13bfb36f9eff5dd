// Base of the 25 IFEval instruction verifiers: parses arguments once, then applies strict or loose mode as Google does.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

/// <summary>One IFEval instruction type. Subclasses only say how to bind arguments and test one text.</summary>
public abstract class IfEvalInstruction : IVerifier
{
    protected IfEvalInstruction(IfEvalMode mode) => Mode = mode;

    public abstract string Id { get; }
    public IfEvalMode Mode { get; }

    /// <summary>Reads the arguments (throwing for bad ones) and returns the test for one candidate text.</summary>
    protected abstract Func<string, Outcome> Bind(string prompt, JsonObject args);

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        // Arguments are validated even for empty responses, so a bad item fails loudly at once.
        var test = Bind(prompt, args);
        if (Mode == IfEvalMode.Strict)
        {
            if (PyText.Strip(response).Length == 0) return Verdict.Fail("empty response");
            var outcome = test(response);
            return Verdict.Of(outcome.Passed, outcome.Detail);
        }
        Outcome? first = null;
        foreach (var (name, text) in LooseVariants.Of(response))
        {
            // Google skips variants that are blank after trimming.
            if (PyText.Strip(text).Length == 0) continue;
            var outcome = test(text);
            if (outcome.Passed) return Verdict.Pass($"{outcome.Detail} (loose: {name})");
            first ??= outcome;
        }
        return Verdict.Fail(first is { } f ? $"{f.Detail} (loose: no variant passes)" : "empty response");
    }

    /// <summary>Result of testing one candidate text.</summary>
    protected readonly record struct Outcome(bool Passed, string Detail);

    protected static Outcome Pass(string detail) => new(true, detail);
    protected static Outcome Fail(string detail) => new(false, detail);
    protected static Outcome Of(bool passed, string detail) => new(passed, detail);
}
