// Where per-step scalars go (JSONL file, TensorBoard events); the Trainer writes each step once to every sink.
namespace Pharos.Training.Logging;

public interface IMetricsSink : IDisposable
{
    void Write(int step, IReadOnlyDictionary<string, double> scalars);
}
