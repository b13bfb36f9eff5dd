// A suite whose items are translations with a source and a reference (translation, ifmt): what a neural metric needs.
namespace Pharos.Eval.Benchmarks;

public interface ITranslationSuite : IBenchmark
{
    /// <summary>Per item, in item order: the source text and the reference translation.</summary>
    IReadOnlyList<(string Source, string Reference)> SourcesAndReferences { get; }
}
