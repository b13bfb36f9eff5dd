// A benchmark suite: loaded items become chat prompts; the backend's answers become per-item records and aggregate results.
using Pharos.Eval.Backends;
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Benchmarks;

public interface IBenchmark
{
    /// <summary>Suite name as `--suite` spells it: translation, ifeval, ifmt, math.</summary>
    string Name { get; }

    /// <summary>One conversation per item, in item order.</summary>
    IReadOnlyList<IReadOnlyList<ChatMessage>> Prompts { get; }

    /// <summary>Scores the answers (one per item, in order; failed answers are error records, counted, never thrown).</summary>
    (IReadOnlyList<ItemRecord> Records, SuiteResult Result) Score(IReadOnlyList<ChatAnswer> answers);
}
