// A metrics sink that keeps every step's scalars in memory, so a test can assert on what the Trainer logged.
using Pharos.Training.Logging;

namespace Pharos.Training.Tests;

public sealed class RecordingMetricsSink : IMetricsSink
{
    public List<IReadOnlyDictionary<string, double>> Rows { get; } = [];

    public void Write(int step, IReadOnlyDictionary<string, double> scalars) => Rows.Add(scalars);

    public void Dispose() { }
}
