// A curation step: records in, records out, counting what it did (datatrove's PipelineStep shape).
namespace Pharos.Curation.Pipeline;

public interface IPipelineStep
{
    string Name { get; }
    IEnumerable<Document> Run(IEnumerable<Document> input, StepStats stats);
}
